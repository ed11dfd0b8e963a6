package io.thingport.core.internal.rules;

/**
 * Delivery latencies in microseconds, in buckets that grow by a quarter (about 12 % error on a percentile), from 1 µs to
 * hours. Fixed size whatever the traffic; thread-safe.
 */
public final class LatencyHistogram {
    private static final double GROWTH = 1.25;
    private static final int BUCKETS = 110;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    public synchronized void record(long micros) {
        long v = Math.max(1, micros);
        counts[bucket(v)]++;
        total++;
        max = Math.max(max, v);
    }

    static int bucket(long micros) {
        return (int) Math.min(BUCKETS - 1, Math.floor(Math.log(micros) / Math.log(GROWTH)));
    }

    /** The upper bound of the bucket holding the {@code p}-th percentile (0–100), or 0 without data. */
    public synchronized long percentile(double p) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * p / 100.0);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return Math.min(max, (long) Math.ceil(Math.pow(GROWTH, i + 1)));
            }
        }
        return max;
    }

    public synchronized long max() {
        return max;
    }
}
