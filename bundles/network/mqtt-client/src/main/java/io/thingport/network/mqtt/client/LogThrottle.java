package io.thingport.network.mqtt.client;

import java.util.HashMap;
import java.util.Map;

/** Lets one log line of each kind through per period, so that a flood of bad messages does not flood the log. */
final class LogThrottle {
    private final long periodNanos;
    private final Map<String, Long> next = new HashMap<>();

    LogThrottle(long periodNanos) {
        this.periodNanos = periodNanos;
    }

    /** Whether a line of {@code kind} may be logged now. */
    synchronized boolean allow(String kind, long nowNanos) {
        Long at = next.get(kind);
        if (at != null && nowNanos - at < 0) {
            return false;
        }
        next.put(kind, nowNanos + periodNanos);
        return true;
    }

    /** Forgets kinds whose period is over. */
    synchronized void prune(long nowNanos) {
        next.values().removeIf(at -> nowNanos - at >= 0);
    }
}
