package io.thingport.core.internal.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** A durable step for H2 ({@code CREATE ALIAS ... FOR '...FlakyDurableStep.sync'}) that fails while {@link #FAILURES} lasts. */
public final class FlakyDurableStep {
    public static final AtomicInteger FAILURES = new AtomicInteger();

    private FlakyDurableStep() {
    }

    /** Fails while failures are left, else makes the commit durable. */
    public static int sync(Connection c) throws SQLException {
        if (FAILURES.getAndDecrement() > 0) {
            throw new SQLException("the disk refused the sync (test)");
        }
        try (Statement st = c.createStatement()) {
            st.execute("CHECKPOINT SYNC");
        }
        return 0;
    }
}
