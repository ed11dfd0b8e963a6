/** What the Netty-based network components share; for Thingport's own network bundles. */
@Export
@Version("2.0.0")
package io.thingport.network.netty;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
