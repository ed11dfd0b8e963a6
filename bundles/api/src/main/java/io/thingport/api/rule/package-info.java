/** Thingport API: the rule engine (rules, their actions, data sources, the failed-message store, metrics). */
@Export
@Version("1.0.0")
package io.thingport.api.rule;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
