package io.thingport.core.internal.gateway;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.osgi.service.component.annotations.Component;

/** The devices connected to this node: at most one session per device (a new login takes over). */
@Component(service = DeviceSessions.class)
public final class DeviceSessions {
    private final ConcurrentMap<String, DeviceSession> byDevice = new ConcurrentHashMap<>();

    /** Makes {@code session} the device's session and returns the one it replaces, if any. */
    public Optional<DeviceSession> register(DeviceSession session) {
        return Optional.ofNullable(byDevice.put(session.deviceId(), session));
    }

    /** Removes {@code session} if it is still the device's session; returns whether it was. */
    public boolean remove(DeviceSession session) {
        return byDevice.remove(session.deviceId(), session);
    }

    public Optional<DeviceSession> find(String deviceId) {
        return Optional.ofNullable(byDevice.get(deviceId));
    }

    /** Ends the device's session, if it has one here: closes its connection, or takes a sub-device offline. */
    public void kick(String deviceId, String reason) {
        DeviceSession s = byDevice.get(deviceId);
        if (s != null) {
            s.close(reason);
        }
    }
}
