package io.thingport.core.internal.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Long work in a writer's transaction that says how far it has come ({@link Storage#transaction(ReportingWork,
 * java.util.function.IntConsumer)}). Like {@link SqlWork}, no commit or rollback inside.
 */
@FunctionalInterface
public interface ReportingWork<T> {
    /**
     * @param progress takes how far the work has come (a count that grows); it throws once the caller has given up on
     *                 the work, which then ends and is rolled back
     */
    T apply(Connection connection, Progress progress) throws SQLException;

    /** Where a {@link ReportingWork} reports to. */
    @FunctionalInterface
    interface Progress {
        void report(int done);
    }
}
