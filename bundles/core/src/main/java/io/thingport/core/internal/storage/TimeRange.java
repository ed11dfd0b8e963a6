package io.thingport.core.internal.storage;

import io.thingport.api.ThingportException;
import java.time.Instant;

/**
 * A time range {@code [from, to)} given by a caller, as bounds of stored times (epoch milliseconds); either end may be
 * open ({@code null}). An instant is rounded up to the next whole millisecond: a stored time is at or after the instant
 * (or before it) exactly when it is at or after (or before) the rounded bound.
 *
 * @param fromMs stored times at or after this, or {@code null}
 * @param toMs   stored times before this, or {@code null}
 */
public record TimeRange(Long fromMs, Long toMs) {
    /** No bound at either end. */
    public static final TimeRange ALL = new TimeRange(null, null);

    /**
     * The range of two instants.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} when {@code from} is not before {@code to}, or for an instant
     *                            beyond what milliseconds since 1970 can hold
     */
    public static TimeRange of(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ThingportException.invalidArgument("from " + from + " must be before to " + to);
        }
        return new TimeRange(from == null ? null : ceil("from", from), to == null ? null : ceil("to", to));
    }

    /** Whether a stored time lies in the range. */
    public boolean contains(long ms) {
        return (fromMs == null || ms >= fromMs) && (toMs == null || ms < toMs);
    }

    /** The SQL condition on a time column ({@code ""} for no bound, else starting with {@code " AND "}). */
    public String condition(String column) {
        return (fromMs == null ? "" : " AND " + column + " >= ?") + (toMs == null ? "" : " AND " + column + " < ?");
    }

    /** The parameters of {@link #condition}, in order. */
    public Object[] params() {
        return fromMs == null ? toMs == null ? new Object[0] : new Object[] {toMs}
                : toMs == null ? new Object[] {fromMs} : new Object[] {fromMs, toMs};
    }

    private static long ceil(String name, Instant instant) {
        try {
            long ms = instant.toEpochMilli();
            return instant.getNano() % 1_000_000 == 0 ? ms : Math.addExact(ms, 1);
        } catch (ArithmeticException e) {
            throw ThingportException.invalidArgument(name + " " + instant + " is out of range");
        }
    }
}
