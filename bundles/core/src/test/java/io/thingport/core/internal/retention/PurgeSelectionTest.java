package io.thingport.core.internal.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.core.internal.retention.PurgeSelection.Retention;
import io.thingport.core.internal.retention.PurgeSelection.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which rows a purge transaction deletes, at a time the test chooses. */
class PurgeSelectionTest {
    private static final long NOW = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    private static final long DAY = Duration.ofDays(1).toMillis();

    /** A group's rows, oldest first: one a day, the first {@code days} days ago. */
    private static List<Row> daily(int days) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            rows.add(new Row(i + 1, 0, NOW - (days - i) * DAY));
        }
        return rows;
    }

    @Test
    void theCutoffIsTheClockLessTheAgeOrNoneWithoutAnAge() {
        // Verifies cutoff with the clock given.
        assertThat(PurgeSelection.cutoff(NOW, Duration.ofDays(30))).isEqualTo(NOW - 30 * DAY);
        assertThat(PurgeSelection.cutoff(NOW, Duration.ZERO)).isEqualTo(Long.MIN_VALUE);
        assertThat(new Retention(Duration.ZERO, 0, false).off()).isTrue();
        assertThat(new Retention(Duration.ZERO, 5, false).off()).isFalse();
    }

    @Test
    void theOldestRowsGoWhileTheyAreTooOldAndTheFirstThatStaysEndsTheSelection() {
        // Verifies the age rule on 40 daily rows with 30 days' retention: the 10 oldest go (a row exactly 30 days old
        // stays).
        List<Row> rows = daily(40);
        long cutoff = PurgeSelection.cutoff(NOW, Duration.ofDays(30));
        assertThat(PurgeSelection.select(rows, 1000, cutoff, Optional.empty(), false)).containsExactlyElementsOf(rows.subList(0, 10));
        assertThat(PurgeSelection.due(rows.get(0), cutoff, Optional.empty())).isTrue();
        assertThat(PurgeSelection.due(rows.get(10), cutoff, Optional.empty())).isFalse();
    }

    @Test
    void aTransactionTakesAtMostTheBatch() {
        // Verifies the batch bound: of 2,500 expired rows (a page of batch + 1), one transaction takes 1,000.
        List<Row> page = daily(2500).subList(0, 1001);
        assertThat(PurgeSelection.select(page, 1000, NOW, Optional.empty(), false)).hasSize(1000);
    }

    @Test
    void aGroupsNewestRowStaysWhenItMustWhateverItsAge() {
        // Verifies keepNewest: a property reported last 100 days ago keeps that value (its latest), and a page that
        // does not reach the group's end loses nothing to the rule.
        List<Row> stale = daily(3).stream().map(r -> new Row(r.key(), r.tiebreak(), r.ts() - 100 * DAY)).toList();
        long cutoff = PurgeSelection.cutoff(NOW, Duration.ofDays(90));
        assertThat(PurgeSelection.select(stale, 1000, cutoff, Optional.empty(), true)).containsExactlyElementsOf(stale.subList(0, 2));
        assertThat(PurgeSelection.select(stale.subList(0, 1), 1000, cutoff, Optional.empty(), true)).isEmpty();
        assertThat(PurgeSelection.select(stale, 2, cutoff, Optional.empty(), true)).hasSize(2); // a page of batch + 1: not the end
        assertThat(PurgeSelection.select(stale, 1000, cutoff, Optional.empty(), false)).hasSize(3);
    }

    @Test
    void rowsUpToTheLastBeyondTheRowLimitGoWhateverTheirAge() {
        // Verifies the row limit: of 10 recent rows with a limit of 4, the 6 oldest go (the last beyond the limit is the
        // 5th newest), rows compared by key, then tiebreak.
        List<Row> rows = daily(10);
        Optional<Row> lastBeyond = Optional.of(rows.get(5));
        assertThat(PurgeSelection.select(rows, 1000, Long.MIN_VALUE, lastBeyond, false)).containsExactlyElementsOf(rows.subList(0, 6));
        assertThat(PurgeSelection.due(rows.get(6), Long.MIN_VALUE, lastBeyond)).isFalse();
        Row sameKeyLater = new Row(rows.get(5).key(), 1, 0);
        assertThat(PurgeSelection.due(sameKeyLater, Long.MIN_VALUE, lastBeyond)).isFalse();
    }
}
