package io.thingport.bridge.support;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Rate limit for warnings a peer can provoke at will (a wrong push token, an unknown device): per category, one warning
 * per interval, and the next one says how many were left out. Thread-safe.
 */
public final class LogLimiter {
    private final long intervalMillis;
    private final LongSupplier clock;
    private final Map<String, long[]> state = new HashMap<>();

    public LogLimiter(long intervalMillis, LongSupplier clock) {
        this.intervalMillis = intervalMillis;
        this.clock = clock;
    }

    /**
     * Whether a warning of {@code category} may be logged now: {@code -1} when not (it is counted), else how many of
     * that category were left out since the last one logged.
     */
    public synchronized long allow(String category) {
        long now = clock.getAsLong();
        long[] s = state.get(category);
        if (s == null) {
            if (state.size() > 64) {
                state.clear();
            }
            state.put(category, new long[] {now, 0});
            return 0;
        }
        if (now - s[0] < intervalMillis) {
            s[1]++;
            return -1;
        }
        long skipped = s[1];
        s[0] = now;
        s[1] = 0;
        return skipped;
    }
}
