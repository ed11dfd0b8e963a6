package io.thingport.core.internal.access;

import io.thingport.api.ThingportException;
import io.thingport.api.access.AccessQuery;
import io.thingport.core.internal.storage.Storage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the access log and the system log share: the size of their texts, their limits, their batched inserts. */
final class LogTexts {
    private static final long WRITE_TIMEOUT_SECONDS = 60;

    private LogTexts() {
    }

    /** A text cut to {@code max} characters ({@code ...} at the end when cut); {@code null} as empty; NUL as U+FFFD. */
    static String clip(String text, int max) {
        if (text == null) {
            return "";
        }
        String t = text.indexOf('\0') >= 0 ? text.replace('\0', '\uFFFD') : text;
        if (t.length() <= max) {
            return t;
        }
        int end = max - 3;
        if (Character.isHighSurrogate(t.charAt(end - 1))) {
            end--; // never half a pair
        }
        return t.substring(0, end) + "...";
    }

    /** The limit of a query, checked. */
    static int limit(int limit) {
        if (limit < 1 || limit > AccessQuery.MAX_LIMIT) {
            throw ThingportException.invalidArgument("limit must be from 1 to " + AccessQuery.MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }

    /**
     * Inserts rows as one JDBC batch in a storage writer's transaction (in order with the writes of {@code partition}),
     * and waits until it is committed.
     */
    static void insert(Storage storage, String partition, String sql, List<Object[]> rows) throws Exception {
        storage.submit(partition, c -> batch(c, sql, rows)).get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static int batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
            return rows.size();
        }
    }
}
