package io.thingport.bridge.ctwing;

import io.thingport.bridge.support.PushRejected;

/** The {@code eventType} of an {@code eventReport}: 1 info, 2 warning, 3 fault. */
public enum EventLevel {
    INFO(1),
    WARNING(2),
    FAULT(3);

    private final int wire;

    EventLevel(int wire) {
        this.wire = wire;
    }

    /** The number on the wire. */
    public int wire() {
        return wire;
    }

    /** The level for a wire number; a push with another number is malformed, naming {@code eventType}. */
    public static EventLevel fromWire(long value) {
        for (EventLevel level : values()) {
            if (level.wire == value) {
                return level;
            }
        }
        throw PushRejected.malformed("eventType must be 1 (info), 2 (warning) or 3 (fault), not " + value);
    }
}
