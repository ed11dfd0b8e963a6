/** Test helpers for network components: a platform stand-in and a throw-away PKI. */
@Export
@Version("1.0.0")
package io.thingport.network.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
