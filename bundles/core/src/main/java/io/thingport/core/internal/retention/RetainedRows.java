package io.thingport.core.internal.retention;

import io.thingport.core.internal.retention.PurgeSelection.Retention;
import io.thingport.core.internal.retention.PurgeSelection.Row;
import io.thingport.core.internal.storage.StorageSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * A table the retention purge keeps in bounds: its retention and the SQL the purge needs, every statement served by an
 * index the table already has (the hot path's inserts pay for no index of the purge's own).
 */
interface RetainedRows {
    /** What the purge's log line calls the rows, e.g. {@code device-log rows}. */
    String name();

    Retention retention(StorageSettings settings);

    /** The group after {@code after} in the index's order, or the first with {@code null}. */
    Optional<Group> next(Connection c, Group after) throws SQLException;

    /** The oldest {@code limit} rows of a group, oldest first. */
    List<Row> oldest(Connection c, Group group, int limit) throws SQLException;

    /** The newest row beyond the group's newest {@code maxRows}: it and every older row are over the limit. */
    Optional<Row> lastBeyond(Connection c, Group group, int maxRows) throws SQLException;

    /** Deletes these rows of the group; returns how many were deleted. */
    int delete(Connection c, Group group, List<Row> rows) throws SQLException;

    /** Runs {@code sql} once per parameter list, as one JDBC batch; returns how many rows it changed. */
    static int batch(Connection c, String sql, List<Object[]> parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] p : parameters) {
                for (int i = 0; i < p.length; i++) {
                    ps.setObject(i + 1, p[i]);
                }
                ps.addBatch();
            }
            int changed = 0;
            for (int n : ps.executeBatch()) {
                changed += n == Statement.SUCCESS_NO_INFO ? 1 : Math.max(0, n);
            }
            return changed;
        }
    }

    /** A group of rows: a device's ({@code property} {@code null}), or one property's of a device. */
    record Group(String deviceId, String property) {
    }
}
