package io.thingport.core.internal.registry;

import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.PropertyBucket;
import io.thingport.core.internal.storage.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A downsampled series ({@code DeviceService#propertySeries}) as a fold of values into buckets, without storage: the
 * buckets start at {@code from + k * interval}; a value falls in the bucket its stored time (whole milliseconds) lies
 * in. A bucket counts every value and keeps the last one (the newest by time, then by report id); the smallest,
 * largest and mean are of its numeric values ({@code null} when it holds none: text, booleans, objects). Values may
 * come in any order. Only buckets that got a value are kept, at most {@link DeviceService#MAX_BUCKETS}.
 */
final class Buckets {
    private final Instant from;
    private final Duration interval;
    private final TimeRange range;
    private final long intervalMs;
    private final long count;
    private final Map<Long, Bucket> buckets = new TreeMap<>();

    private Buckets(Instant from, Duration interval, TimeRange range, long count) {
        this.from = from;
        this.interval = interval;
        this.range = range;
        this.intervalMs = interval.toMillis();
        this.count = count;
    }

    /**
     * Empty buckets over {@code [from, to)}.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} for a missing bound, {@code from} not before {@code to}, an
     *                            interval that is not a positive whole number of milliseconds (stored times are
     *                            milliseconds), or a range of more than {@link DeviceService#MAX_BUCKETS} intervals
     */
    static Buckets over(Instant from, Instant to, Duration interval) {
        if (from == null || to == null) {
            throw ThingportException.invalidArgument("a series needs both from and to (got from " + from + ", to " + to + ")");
        }
        TimeRange range = TimeRange.of(from, to);
        try {
            Math.subtractExact(range.toMs(), range.fromMs());
        } catch (ArithmeticException e) {
            throw ThingportException.invalidArgument("from " + from + " to " + to + " is too long a range");
        }
        if (interval == null || interval.isNegative() || interval.isZero() || interval.getNano() % 1_000_000 != 0) {
            throw ThingportException.invalidArgument("interval " + interval
                    + " must be a positive whole number of milliseconds (stored times are milliseconds)");
        }
        Duration span = Duration.between(from, to);
        long whole = span.dividedBy(interval);
        long count = span.equals(interval.multipliedBy(whole)) ? whole : whole + 1;
        if (count > DeviceService.MAX_BUCKETS) {
            throw ThingportException.invalidArgument("from " + from + " to " + to + " in intervals of " + interval + " makes " + count
                    + " buckets, more than " + DeviceService.MAX_BUCKETS + ": choose a longer interval or a shorter range");
        }
        return new Buckets(from, interval, range, count);
    }

    /** The stored times the buckets cover. */
    TimeRange range() {
        return range;
    }

    /** How many buckets the range makes (empty ones included). */
    long count() {
        return count;
    }

    /**
     * Adds one value. A value outside the range is ignored.
     *
     * @param ts    its stored time
     * @param id    its report's id (which of two values at the same time is the later)
     * @param value its canonical value
     */
    void add(long ts, long id, Object value) {
        if (!range.contains(ts)) {
            return;
        }
        // from lies in (fromMs - 1, fromMs] and the interval is whole milliseconds, so (ts - from) / interval floors
        // to the same bucket as (ts - fromMs) / interval: within a bucket, a fraction of a millisecond never crosses
        // a whole one.
        long k = (ts - range.fromMs()) / intervalMs;
        buckets.computeIfAbsent(k, key -> new Bucket()).add(ts, id, value);
    }

    /** The buckets that got a value, oldest first. */
    List<PropertyBucket> result() {
        List<PropertyBucket> out = new ArrayList<>(buckets.size());
        buckets.forEach((k, b) -> out.add(b.toBucket(from.plus(interval.multipliedBy(k)))));
        return out;
    }

    /** One bucket's fold. */
    private static final class Bucket {
        private long values;
        private long numbers;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double sum;
        private long lastTs = Long.MIN_VALUE;
        private long lastId = Long.MIN_VALUE;
        private Object last;

        void add(long ts, long id, Object value) {
            values++;
            if (value instanceof Number n) {
                double d = n.doubleValue();
                numbers++;
                min = Math.min(min, d);
                max = Math.max(max, d);
                sum += d;
            }
            if (ts > lastTs || ts == lastTs && id > lastId) {
                lastTs = ts;
                lastId = id;
                last = value;
            }
        }

        PropertyBucket toBucket(Instant start) {
            return numbers == 0 ? new PropertyBucket(start, values, null, null, null, last)
                    : new PropertyBucket(start, values, min, max, sum / numbers, last);
        }
    }
}
