package io.thingport.core.internal.access;

import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogService;
import io.thingport.core.internal.storage.StorageConfiguration;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Writes each change of the storage configuration ({@code etc/io.thingport.storage.cfg}) to the system log (category
 * {@code config}): one line with the values that changed, one with the values refused. It listens to
 * {@link StorageConfiguration} instead of being referenced by it, since the system log needs storage, which needs
 * that configuration.
 */
@Component(service = StorageChangeRecorder.class, immediate = true)
public final class StorageChangeRecorder implements StorageConfiguration.ChangeListener {
    private final StorageConfiguration configuration;
    private final SystemLogService systemLog;

    @Activate
    public StorageChangeRecorder(@Reference StorageConfiguration configuration, @Reference SystemLogService systemLog) {
        this.configuration = configuration;
        this.systemLog = systemLog;
        configuration.addListener(this);
    }

    @Deactivate
    void close() {
        configuration.removeListener(this);
    }

    @Override
    public void changed(List<String> changes, List<String> problems) {
        if (!changes.isEmpty()) {
            systemLog.record(SystemEvent.INFO, SystemEvents.CONFIG, StorageConfiguration.PID, "storage settings changed: "
                    + String.join(", ", changes));
        }
        if (!problems.isEmpty()) {
            systemLog.record(SystemEvent.WARN, SystemEvents.CONFIG, StorageConfiguration.PID, "storage settings refused: "
                    + String.join("; ", problems));
        }
    }
}
