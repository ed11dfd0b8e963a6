package io.thingport.core.internal.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which rows the retention purge deletes, as pure functions of the rows, the retention and the time. The purge looks
 * at one group of rows at a time (a device's log, one property of a device), oldest first: it deletes the oldest rows
 * while they are older than the retention's age or beyond its row limit, and stops at the first row that stays.
 */
final class PurgeSelection {
    private PurgeSelection() {
    }

    /**
     * A row as the purge sees it: its place in its group ({@code key}, then {@code tiebreak}, oldest first) and its
     * timestamp (epoch milliseconds).
     */
    record Row(long key, long tiebreak, long ts) implements Comparable<Row> {
        @Override
        public int compareTo(Row o) {
            int c = Long.compare(key, o.key);
            return c != 0 ? c : Long.compare(tiebreak, o.tiebreak);
        }
    }

    /**
     * How long and how much a table keeps.
     *
     * @param maxAge     rows older than this go; {@link Duration#ZERO}: no age limit
     * @param maxRows    the newest rows a group keeps; 0: no row limit
     * @param keepNewest the newest row of a group stays whatever its age (it is the latest value of a property)
     */
    record Retention(Duration maxAge, int maxRows, boolean keepNewest) {
        boolean off() {
            return maxAge.isZero() && maxRows == 0;
        }
    }

    /** Rows with a timestamp before the result are too old at {@code now}; {@link Long#MIN_VALUE} without an age limit. */
    static long cutoff(long now, Duration maxAge) {
        return maxAge.isZero() ? Long.MIN_VALUE : now - maxAge.toMillis();
    }

    /**
     * Whether a group has anything to delete, judged by its oldest row alone (cheap: one index look-up).
     *
     * @param lastBeyondLimit the newest row beyond the group's row limit, if it has more rows than that
     */
    static boolean due(Row oldest, long cutoff, Optional<Row> lastBeyondLimit) {
        return goes(oldest, cutoff, lastBeyondLimit);
    }

    /**
     * The rows of the next delete transaction: from {@code oldestFirst} (the group's oldest {@code batch + 1} rows, or
     * all of them when it has fewer), the leading rows that are too old or beyond the row limit, at most {@code batch}.
     * With {@code keepNewest}, the group's newest row never goes: it is the last of {@code oldestFirst} when that holds
     * no more than {@code batch} rows.
     */
    static List<Row> select(List<Row> oldestFirst, int batch, long cutoff, Optional<Row> lastBeyondLimit, boolean keepNewest) {
        int candidates = Math.min(batch, oldestFirst.size());
        if (keepNewest && oldestFirst.size() <= batch) {
            candidates--; // the last one is the group's newest
        }
        List<Row> doomed = new ArrayList<>();
        for (int i = 0; i < candidates && goes(oldestFirst.get(i), cutoff, lastBeyondLimit); i++) {
            doomed.add(oldestFirst.get(i));
        }
        return doomed;
    }

    private static boolean goes(Row row, long cutoff, Optional<Row> lastBeyondLimit) {
        return row.ts() < cutoff || lastBeyondLimit.map(last -> row.compareTo(last) <= 0).orElse(false);
    }
}
