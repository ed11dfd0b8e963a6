/**
 * The device shadow (AWS IoT semantics): the state an application wants a device in ({@code desired}), the state the
 * device last reported ({@code reported}), their difference ({@code delta}), a version for optimistic concurrency and
 * the time each key was last set.
 */
@Export
@Version("1.0.0")
package io.thingport.api.shadow;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
