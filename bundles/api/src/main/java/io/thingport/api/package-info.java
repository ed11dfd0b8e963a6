/** Thingport API. */
@Export
@Version("1.3.0")
package io.thingport.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
