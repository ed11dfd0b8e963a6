/** What the cloud bridges share: the HTTP push server and the cloud's devices as brokered connections. */
@Export
@Version("1.0.0")
package io.thingport.bridge.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
