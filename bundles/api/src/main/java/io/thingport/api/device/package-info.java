/** Thingport API: device. */
@Export
@Version("1.4.0")
package io.thingport.api.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
