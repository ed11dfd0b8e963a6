package io.thingport.simulator.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A small HDR-style latency histogram: microsecond resolution, log-linear buckets up to 60 s.
 *
 * <p>Values below 256 us get one bucket each (exact). Above that every power-of-two range
 * [2^e, 2^(e+1)) is split into 128 equal buckets, so a reported percentile is at most
 * ~0.8% above the true value. Percentiles report the upper edge of the bucket (capped at the
 * exact recorded maximum), like HdrHistogram's "highest equivalent value". Values above 60 s are
 * clamped to 60 s (the exact max is still kept). Thread-safe; recording is lock-free.
 * The one histogram of the simulator and the benchmark (bench/).
 */
public final class LatencyHistogram {
    static final int SUB_BITS = 8;
    static final int SUB_COUNT = 1 << SUB_BITS;          // 256 exact buckets
    static final int HALF = SUB_COUNT >> 1;              // 128 buckets per power of two above that
    static final long MAX_TRACKABLE_US = 60_000_000L;    // 60 s
    static final int BUCKETS = index(MAX_TRACKABLE_US) + 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong sumUs = new AtomicLong();
    private final AtomicLong maxUs = new AtomicLong();

    static int index(long us) {
        if (us < SUB_COUNT) {
            return (int) Math.max(0, us);
        }
        int e = 63 - Long.numberOfLeadingZeros(us);      // >= SUB_BITS
        int shift = e - (SUB_BITS - 1);
        int sub = (int) (us >>> shift);                  // in [HALF, SUB_COUNT)
        return SUB_COUNT + (e - SUB_BITS) * HALF + (sub - HALF);
    }

    static long lowestValue(int index) {
        if (index < SUB_COUNT) {
            return index;
        }
        int k = index - SUB_COUNT;
        int e = SUB_BITS + k / HALF;
        long sub = HALF + (k % HALF);
        return sub << (e - (SUB_BITS - 1));
    }

    static long highestValue(int index) {
        return lowestValue(index + 1) - 1;
    }

    public void recordNanos(long nanos) {
        record(nanos / 1_000L);
    }

    public void record(long us) {
        if (us < 0) {
            us = 0;
        }
        counts.incrementAndGet(index(Math.min(us, MAX_TRACKABLE_US)));
        total.incrementAndGet();
        sumUs.addAndGet(us);
        long m;
        while (us > (m = maxUs.get()) && !maxUs.compareAndSet(m, us)) {
            // retry
        }
    }

    /** Returns a copy of this histogram and resets this one (for per-interval figures). */
    public LatencyHistogram snapshotAndReset() {
        LatencyHistogram copy = new LatencyHistogram();
        for (int i = 0; i < BUCKETS; i++) {
            long c = counts.getAndSet(i, 0);
            if (c != 0) {
                copy.counts.set(i, c);
            }
        }
        copy.total.set(total.getAndSet(0));
        copy.sumUs.set(sumUs.getAndSet(0));
        copy.maxUs.set(maxUs.getAndSet(0));
        return copy;
    }

    public long count() {
        return total.get();
    }

    public long maxUs() {
        return maxUs.get();
    }

    public double meanUs() {
        long n = total.get();
        return n == 0 ? 0 : (double) sumUs.get() / n;
    }

    /** Value (us) at the given percentile (0..100); 0 when empty. */
    public long percentileUs(double percentile) {
        long n = 0;
        long[] snapshot = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            n += snapshot[i];
        }
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(Math.min(100.0, Math.max(0.0, percentile)) / 100.0 * n);
        if (rank < 1) {
            rank = 1;
        }
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return Math.min(highestValue(i), maxUs.get());
            }
        }
        return maxUs.get();
    }

    public double percentileMs(double percentile) {
        return percentileUs(percentile) / 1000.0;
    }
}
