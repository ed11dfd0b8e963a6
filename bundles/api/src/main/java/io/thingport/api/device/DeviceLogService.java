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
     * Entries matching the query: oldest first when it has an {@code afterId}, else newest first.
     *
     * @throws io.thingport.api.ThingportException {@code INVALID_ARGUMENT} for a limit out of range or both id bounds
     */
    List<DeviceLogEntry> query(LogQuery query);

    /**
     * Calls {@code listener} for every new entry (of one device, or all with {@code null}), in order, on a thread of its
     * own, until the returned handle is closed. The platform never waits for it: a listener that falls too far behind
     * (or throws) is ended, and {@code onEnd} is told why.
     */
    AutoCloseable follow(String deviceId, Consumer<DeviceLogEntry> listener, Consumer<String> onEnd);

    /** {@link #follow(String, Consumer, Consumer)}, where an ended listener is only logged. */
    default AutoCloseable follow(String deviceId, Consumer<DeviceLogEntry> listener) {
        return follow(deviceId, listener, why -> { });
    }
}
