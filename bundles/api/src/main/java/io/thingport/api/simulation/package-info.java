/**
 * Virtual devices and load simulations: devices the platform runs itself, which connect over a real transport with the
 * official protocol, report values from their thing model and answer commands (seed 000, 虚拟设备).
 */
@Export
@Version("1.0.0")
package io.thingport.api.simulation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
