/** Thingport API: message. */
@Export
@Version("1.1.0")
package io.thingport.api.message;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
