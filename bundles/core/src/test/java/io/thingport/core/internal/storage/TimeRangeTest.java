package io.thingport.core.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A caller's time range as bounds of stored milliseconds. */
class TimeRangeTest {

    @Test
    void boundsRoundUpToTheNextWholeMillisecond() {
        // Verifies that a stored time is in the range exactly when the instant it stands for is.
        // GIVEN a range from 10.4 ms to 20.0 ms after the epoch
        Instant from = Instant.ofEpochSecond(0, 10_400_000);
        Instant to = Instant.ofEpochMilli(20);
        // WHEN
        TimeRange range = TimeRange.of(from, to);
        // THEN 10 ms is before 10.4 ms, 11 ms is after it; 20 ms is not before 20 ms
        assertThat(range).isEqualTo(new TimeRange(11L, 20L));
        assertThat(range.contains(10)).isFalse();
        assertThat(range.contains(11)).isTrue();
        assertThat(range.contains(19)).isTrue();
        assertThat(range.contains(20)).isFalse();
        assertThat(range.condition("ts")).isEqualTo(" AND ts >= ? AND ts < ?");
        assertThat(range.params()).containsExactly(11L, 20L);
        assertThat(TimeRange.of(Instant.ofEpochSecond(-1, 999_500_000), null)).isEqualTo(new TimeRange(0L, null));
    }

    @Test
    void openEndsAddNoCondition() {
        // Verifies that a missing bound restricts nothing.
        // GIVEN / WHEN
        TimeRange upTo = TimeRange.of(null, Instant.ofEpochMilli(5));
        // THEN
        assertThat(TimeRange.of(null, null)).isEqualTo(TimeRange.ALL);
        assertThat(TimeRange.ALL.condition("ts")).isEmpty();
        assertThat(TimeRange.ALL.params()).isEmpty();
        assertThat(TimeRange.ALL.contains(Long.MIN_VALUE)).isTrue();
        assertThat(upTo.condition("ts")).isEqualTo(" AND ts < ?");
        assertThat(upTo.params()).containsExactly(5L);
    }

    @Test
    void refusesAnEmptyOrReversedRangeAndInstantsBeyondMilliseconds() {
        // Verifies INVALID_ARGUMENT for from not before to, and for an instant a long of milliseconds cannot hold.
        // GIVEN
        Instant t = Instant.parse("2026-12-03T10:00:00Z");
        // WHEN / THEN
        assertThatThrownBy(() -> TimeRange.of(t, t)).isInstanceOfSatisfying(ThingportException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("from 2026-12-03T10:00:00Z must be before to 2026-12-03T10:00:00Z");
        assertThatThrownBy(() -> TimeRange.of(t.plusSeconds(1), t)).hasMessageContaining("must be before");
        assertThatThrownBy(() -> TimeRange.of(Instant.MIN, t)).isInstanceOfSatisfying(ThingportException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("is out of range");
    }
}
