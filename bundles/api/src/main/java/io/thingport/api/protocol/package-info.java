/** Thingport API: protocol. */
@Export
@Version("1.3.0")
package io.thingport.api.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
