/** What the Californium-based network components share: DTLS from managed certificates or a pre-shared key. */
@Export
@Version("1.0.0")
package io.thingport.network.dtls;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
