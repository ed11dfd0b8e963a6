package io.thingport.core.internal.rules;

/**
 * Events per second over the last five minutes, in one-second slots: the rate of the last complete second, the highest
 * per-second count seen, and the mean over the window. Thread-safe; {@code nowSeconds} is passed in for tests.
 */
public final class RateWindow {
    static final int SECONDS = 300;

    private final long[] counts = new long[SECONDS];
    private final long[] slotSecond = new long[SECONDS];
    private final long started;
    private long max;

    public RateWindow(long nowSeconds) {
        this.started = nowSeconds;
    }

    public synchronized void add(long nowSeconds) {
        int slot = (int) Math.floorMod(nowSeconds, (long) SECONDS);
        if (slotSecond[slot] != nowSeconds) {
            slotSecond[slot] = nowSeconds;
            counts[slot] = 0;
        }
        counts[slot]++;
        if (counts[slot] > max) {
            max = counts[slot];
        }
    }

    /** Events in the last complete second. */
    public synchronized double now(long nowSeconds) {
        return count(nowSeconds - 1);
    }

    public synchronized double max() {
        return max;
    }

    /** The mean per second over the last five minutes (or since the start, when shorter). */
    public synchronized double mean(long nowSeconds) {
        long span = Math.min(SECONDS, Math.max(1, nowSeconds - started));
        long total = 0;
        for (long s = nowSeconds - span; s < nowSeconds; s++) {
            total += count(s);
        }
        return (double) total / span;
    }

    private long count(long second) {
        int slot = (int) Math.floorMod(second, (long) SECONDS);
        return slotSecond[slot] == second ? counts[slot] : 0;
    }
}
