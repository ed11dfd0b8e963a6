package io.thingport.simulator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void bucketsAreContiguousAndPrecise() {
        long prevHigh = -1;
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            long lo = LatencyHistogram.lowestValue(i);
            long hi = LatencyHistogram.highestValue(i);
            assertEquals(prevHigh + 1, lo, "bucket " + i);
            assertTrue(hi >= lo);
            assertEquals(i, LatencyHistogram.index(lo));
            assertEquals(i, LatencyHistogram.index(hi));
            assertTrue(hi - lo <= Math.max(0, lo / 128), "relative width of bucket " + i);
            prevHigh = hi;
        }
        assertTrue(LatencyHistogram.highestValue(LatencyHistogram.BUCKETS - 1) >= LatencyHistogram.MAX_TRACKABLE_US);
    }

    @Test
    void percentilesOfUniformValues() {
        LatencyHistogram h = new LatencyHistogram();
        for (int us = 1; us <= 100_000; us++) {
            h.record(us);
        }
        assertEquals(100_000, h.count());
        assertWithin(50_000, h.percentileUs(50), 0.01);
        assertWithin(90_000, h.percentileUs(90), 0.01);
        assertWithin(99_000, h.percentileUs(99), 0.01);
        assertWithin(99_900, h.percentileUs(99.9), 0.01);
        assertEquals(100_000, h.percentileUs(100));
        assertEquals(100_000, h.maxUs());
    }

    @Test
    void smallValuesAreExactAndHugeValuesClamped() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(3);
        h.record(3);
        h.record(7);
        assertEquals(3, h.percentileUs(50));
        assertEquals(7, h.percentileUs(100));
        h.record(120_000_000L);
        assertEquals(120_000_000L, h.maxUs());
        assertTrue(h.percentileUs(100) >= LatencyHistogram.MAX_TRACKABLE_US);
    }

    @Test
    void snapshotAndReset() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordNanos(2_000_000);
        LatencyHistogram s = h.snapshotAndReset();
        assertEquals(1, s.count());
        assertEquals(2000, s.percentileUs(50));
        assertEquals(0, h.count());
        assertEquals(0, h.percentileUs(50));
    }

    private static void assertWithin(long expected, long actual, double rel) {
        assertTrue(Math.abs(actual - expected) <= expected * rel, "expected ~" + expected + " got " + actual);
    }
}
