package io.thingport.core.internal.storage;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration {@code io.thingport.storage} (the file {@code etc/io.thingport.storage.cfg}): how long and how much
 * the platform keeps ({@link StorageSettings}). Without it the defaults apply. A change takes effect without a restart:
 * the device log, the refused-login counting and the retention purge read {@link #settings()} each time they use it.
 */
@Component(service = StorageConfiguration.class, configurationPid = StorageConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class StorageConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(StorageConfiguration.class);
    public static final String PID = "io.thingport.storage";

    private volatile StorageSettings settings;

    @Activate
    public StorageConfiguration(Map<String, Object> properties) {
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    /** The settings in force. */
    public StorageSettings settings() {
        return settings;
    }

    private void apply(Map<String, Object> properties) {
        StorageSettings.Parsed parsed = StorageSettings.parse(properties);
        parsed.problems().forEach(p -> LOG.error("Configuration {}: {}", PID, p));
        settings = parsed.settings();
    }
}
