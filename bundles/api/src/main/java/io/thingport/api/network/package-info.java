/** Thingport API: network. */
@Export
@Version("1.2.0")
package io.thingport.api.network;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
