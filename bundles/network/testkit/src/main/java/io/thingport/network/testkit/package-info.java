/** Test helpers for network components: a platform stand-in, a throw-away PKI and free ports. */
@Export
@Version("1.1.0")
package io.thingport.network.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
