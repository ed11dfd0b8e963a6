package io.thingport.core.internal.storage;

import java.util.List;

/**
 * Statements that commit together or not at all: the writer never splits them across transactions, and a batch that
 * fails is retried in smaller batches whose boundaries fall between atomic writes only.
 *
 * <p>{@code probe}, when not null, is a query that finds a row exactly when this write is already in the database —
 * because a device sent the same message again, or because this write's own commit went through but making it
 * durable failed. Before a write is retried alone, its probe runs; when it finds a row, the statements are not run
 * again (no duplicate rows) and the write completes as {@link WriteOutcome#ALREADY_STORED}.
 *
 * <p>The statements run in their order (the writer batches equal statements of many writes, and still runs every
 * write's statements in the order given). The first statement decides whether the write applied: when it changes no
 * row the write completes as {@link WriteOutcome#NOT_APPLIED}. A later statement whose effect must follow it (an
 * {@code INSERT ... SELECT ... WHERE}) carries a condition that holds exactly when the first one changed its row —
 * e.g. it selects from the row the first statement inserted — so that either all of them change rows or none does.
 *
 * <p>{@code partition} (a device id, or null) picks the writer when there are several: the writes of one partition
 * commit in the order they were queued.
 */
public record AtomicWrite(List<Sql> statements, Sql probe, String partition) {
    public AtomicWrite {
        statements = List.copyOf(statements);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("an atomic write needs at least one statement");
        }
    }

    /** Without a partition. */
    public AtomicWrite(List<Sql> statements, Sql probe) {
        this(statements, probe, null);
    }

    /** One statement, without a probe or a partition. */
    public static AtomicWrite of(String sql, Object... params) {
        return new AtomicWrite(List.of(new Sql(sql, params)), null);
    }
}
