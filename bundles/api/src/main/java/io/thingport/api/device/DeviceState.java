package io.thingport.api.device;

import java.time.Instant;

/**
 * Connection state of a device.
 *
 * @param firstOnline {@code null} until the device first connects
 * @param lastOnline  the last time it came online, or {@code null}
 * @param node        the platform node holding its connection while online, else the last one
 */
public record DeviceState(boolean online, Instant firstOnline, long onlineCount, Instant lastOnline, Instant lastOffline,
                          String node) {
    public static final DeviceState NEVER_ONLINE = new DeviceState(false, null, 0, null, null, null);
}
