package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.PropertyBucket;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The fold of a downsampled series, without storage. */
class BucketsTest {
    private static final Instant FROM = Instant.parse("2026-12-03T10:00:00Z");
    private static final long T0 = FROM.toEpochMilli();

    @Test
    void numericValuesGiveMinMaxAvgAndTheLastValue() {
        // Verifies the statistics of numeric buckets, their starts at from + k * interval, and that empty ones are left out.
        // GIVEN buckets of a minute over ten minutes
        Buckets buckets = Buckets.over(FROM, FROM.plus(Duration.ofMinutes(10)), Duration.ofMinutes(1));
        // WHEN values fall in the first and the fourth minute, newest first as storage reads them
        buckets.add(T0 + 3 * 60_000 + 59_999, 9, 7L);
        buckets.add(T0 + 3 * 60_000, 8, new BigDecimal("1.5"));
        buckets.add(T0 + 30_000, 3, 30);
        buckets.add(T0 + 20_000, 2, -10.5);
        buckets.add(T0, 1, 20);
        // THEN
        assertThat(buckets.count()).isEqualTo(10);
        assertThat(buckets.result()).containsExactly(
                new PropertyBucket(FROM, 3, -10.5, 30.0, 39.5 / 3, 30),
                new PropertyBucket(FROM.plus(Duration.ofMinutes(3)), 2, 1.5, 7.0, 4.25, 7L));
    }

    @Test
    void otherValuesGiveOnlyTheCountAndTheLastValue() {
        // Verifies text, booleans and objects, and that numeric statistics cover only the numeric values of a bucket.
        // GIVEN
        Buckets buckets = Buckets.over(FROM, FROM.plusSeconds(30), Duration.ofSeconds(10));
        // WHEN
        buckets.add(T0, 1, "idle");
        buckets.add(T0 + 1, 2, "busy");
        buckets.add(T0 + 10_000, 3, true);
        buckets.add(T0 + 10_001, 4, Map.of("a", 1));
        buckets.add(T0 + 20_000, 5, "n/a");
        buckets.add(T0 + 20_001, 6, 4);
        // THEN
        assertThat(buckets.result()).containsExactly(
                new PropertyBucket(FROM, 2, null, null, null, "busy"),
                new PropertyBucket(FROM.plusSeconds(10), 2, null, null, null, Map.of("a", 1)),
                new PropertyBucket(FROM.plusSeconds(20), 2, 4.0, 4.0, 4.0, 4));
    }

    @Test
    void theLastValueIsTheNewestByTimeThenByReportIdInAnyOrder() {
        // Verifies that the order in which values arrive does not change the last value.
        // GIVEN
        Buckets newestFirst = Buckets.over(FROM, FROM.plusSeconds(60), Duration.ofSeconds(60));
        Buckets oldestFirst = Buckets.over(FROM, FROM.plusSeconds(60), Duration.ofSeconds(60));
        // WHEN two values share the newest time
        newestFirst.add(T0 + 500, 12, "b");
        newestFirst.add(T0 + 500, 11, "a");
        newestFirst.add(T0 + 100, 20, "old");
        oldestFirst.add(T0 + 100, 20, "old");
        oldestFirst.add(T0 + 500, 11, "a");
        oldestFirst.add(T0 + 500, 12, "b");
        // THEN
        assertThat(newestFirst.result()).extracting(PropertyBucket::last).containsExactly("b");
        assertThat(oldestFirst.result()).isEqualTo(newestFirst.result());
    }

    @Test
    void bucketsAlignToFromEvenBetweenTwoMilliseconds() {
        // Verifies the bucket of values at the edges, for a from on a whole millisecond and one between two.
        // GIVEN from 0.5 ms after a whole millisecond, buckets of 10 ms
        Instant from = FROM.plusNanos(500_000);
        Buckets buckets = Buckets.over(from, from.plusMillis(30), Duration.ofMillis(10));
        // WHEN values at T0 (before from), T0 + 1 (first bucket), T0 + 10 (first: 9.5 ms after from), T0 + 11 (second),
        // T0 + 30 (third: 29.5 ms) and T0 + 31 (after to)
        for (long ms : List.of(0L, 1L, 10L, 11L, 30L, 31L)) {
            buckets.add(T0 + ms, ms, ms);
        }
        // THEN
        assertThat(buckets.range().fromMs()).isEqualTo(T0 + 1);
        assertThat(buckets.result()).extracting(PropertyBucket::start, PropertyBucket::count).containsExactly(
                tuple(from, 2L), tuple(from.plusMillis(10), 1L),
                tuple(from.plusMillis(20), 1L));
        // AND a last bucket shorter than the interval still counts as one
        assertThat(Buckets.over(FROM, FROM.plusMillis(25), Duration.ofMillis(10)).count()).isEqualTo(3);
    }

    @Test
    void theRangeMakesAtMostMaxBuckets() {
        // Verifies the bound on buckets, exactly at it and one (even a partial one) beyond.
        // GIVEN
        Duration interval = Duration.ofSeconds(1);
        Instant atBound = FROM.plusSeconds(DeviceService.MAX_BUCKETS);
        // WHEN / THEN
        assertThat(Buckets.over(FROM, atBound, interval).count()).isEqualTo(DeviceService.MAX_BUCKETS);
        assertInvalid(() -> Buckets.over(FROM, atBound.plusMillis(1), interval), "makes 10001 buckets, more than 10000");
        assertInvalid(() -> Buckets.over(FROM, FROM.plus(Duration.ofDays(365)), Duration.ofMinutes(1)), "more than 10000");
    }

    @Test
    void refusesMissingBoundsAndBadIntervals() {
        // Verifies INVALID_ARGUMENT for each argument a series cannot be made of.
        // GIVEN
        Instant to = FROM.plusSeconds(60);
        Duration second = Duration.ofSeconds(1);
        // WHEN / THEN
        assertInvalid(() -> Buckets.over(null, to, second), "needs both from and to");
        assertInvalid(() -> Buckets.over(FROM, null, second), "needs both from and to");
        assertInvalid(() -> Buckets.over(to, FROM, second), "must be before to");
        assertInvalid(() -> Buckets.over(FROM, FROM, second), "must be before to");
        assertInvalid(() -> Buckets.over(FROM, to, null), "must be a positive whole number of milliseconds");
        assertInvalid(() -> Buckets.over(FROM, to, Duration.ZERO), "must be a positive whole number of milliseconds");
        assertInvalid(() -> Buckets.over(FROM, to, Duration.ofSeconds(-1)), "must be a positive whole number of milliseconds");
        assertInvalid(() -> Buckets.over(FROM, to, Duration.ofNanos(1_500_000)), "must be a positive whole number of milliseconds");
        assertInvalid(() -> Buckets.over(Instant.ofEpochMilli(Long.MIN_VALUE), Instant.ofEpochMilli(Long.MAX_VALUE),
                Duration.ofDays(365L * 300_000_000)), "too long a range");
    }

    private static void assertInvalid(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ThingportException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT)).hasMessageContaining(message);
    }
}
