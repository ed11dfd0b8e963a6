package io.thingport.bridge.ctwing;

import io.thingport.bridge.support.PushRejected;

/** The {@code eventType} of a {@code deviceOnlineOfflineReport}: 1 online, 0 offline. */
public enum DeviceStatus {
    OFFLINE(0),
    ONLINE(1);

    private final int wire;

    DeviceStatus(int wire) {
        this.wire = wire;
    }

    /** The number on the wire. */
    public int wire() {
        return wire;
    }

    /** The status for a wire number; a push with another number is malformed, naming {@code eventType}. */
    public static DeviceStatus fromWire(long value) {
        for (DeviceStatus status : values()) {
            if (status.wire == value) {
                return status;
            }
        }
        throw PushRejected.malformed("eventType must be 1 (online) or 0 (offline), not " + value);
    }
}
