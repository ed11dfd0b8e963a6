package io.thingport.api.device;

import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/** The device log: every uplink, downlink, connection event and refused login. */
@ProviderType
public interface DeviceLogService {
    /** The newest entries, newest last. @param deviceId a device, or {@code null} for all devices */
    List<DeviceLogEntry> recent(String deviceId, int limit);

    /**
     * Calls {@code listener} for every new entry (of one device, or all with {@code null}) until the returned handle
     * is closed. The listener runs on a platform thread and must return quickly.
     */
    AutoCloseable follow(String deviceId, Consumer<DeviceLogEntry> listener);
}
