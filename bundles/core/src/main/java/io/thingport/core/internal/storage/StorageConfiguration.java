package io.thingport.core.internal.storage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration {@code io.thingport.storage} (the file {@code etc/io.thingport.storage.cfg}): how long and how much
 * the platform keeps ({@link StorageSettings}). Without it the defaults apply. A change takes effect without a restart:
 * the device log, the refused-login counting and the retention purge read {@link #settings()} each time they use it,
 * and the {@link ChangeListener}s are told what changed.
 */
@Component(service = StorageConfiguration.class, configurationPid = StorageConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class StorageConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(StorageConfiguration.class);
    public static final String PID = "io.thingport.storage";

    /**
     * Told of each change of the configuration (the system log's recorder). Added at run time rather than referenced:
     * whatever records a change writes through {@link Storage}, which needs this configuration first.
     */
    public interface ChangeListener {
        /**
         * @param changes  {@code key old -> new} of each value in force that changed ({@link StorageSettings#changes})
         * @param problems each value refused, in a sentence naming its key
         */
        void changed(List<String> changes, List<String> problems);
    }

    private volatile StorageSettings settings;
    private Map<String, Object> properties = Map.of();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    @Activate
    public StorageConfiguration(Map<String, Object> properties) {
        apply(properties);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        Map<String, Object> before = this.properties;
        List<String> problems = apply(properties);
        List<String> changes = StorageSettings.changes(before, properties);
        if (!changes.isEmpty() || !problems.isEmpty()) {
            listeners.forEach(l -> l.changed(changes, problems));
        }
    }

    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    public void removeListener(ChangeListener listener) {
        listeners.remove(listener);
    }

    /** The settings in force. */
    public StorageSettings settings() {
        return settings;
    }

    private List<String> apply(Map<String, Object> properties) {
        StorageSettings.Parsed parsed = StorageSettings.parse(properties);
        parsed.problems().forEach(p -> LOG.error("Configuration {}: {}", PID, p));
        settings = parsed.settings();
        this.properties = Map.copyOf(properties);
        return parsed.problems();
    }
}
