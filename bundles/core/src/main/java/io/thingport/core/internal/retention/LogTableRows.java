package io.thingport.core.internal.retention;

import io.thingport.core.internal.retention.PurgeSelection.Retention;
import io.thingport.core.internal.retention.PurgeSelection.Row;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The retention of a log that is one group of rows, oldest id first: the access log ({@code accessLog.maxAgeDays},
 * {@code accessLog.maxRows}), the system log ({@code systemLog.*}), the device alarms ({@code alarms.*}) and the
 * command queue ({@code commandQueue.maxAgeDays}; by age only, so that no waiting command is purged), walked through
 * their primary key.
 */
final class LogTableRows implements RetainedRows {
    private static final Group WHOLE_TABLE = new Group(null, null);

    private final String name;
    private final String table;
    private final Function<StorageSettings, Retention> retention;

    private LogTableRows(String name, String table, Function<StorageSettings, Retention> retention) {
        this.name = name;
        this.table = table;
        this.retention = retention;
    }

    static LogTableRows accessLog() {
        return new LogTableRows("access-log records", "access_log",
                s -> new Retention(s.accessLogMaxAge(), s.accessLogMaxRows(), false));
    }

    static LogTableRows systemLog() {
        return new LogTableRows("system-log events", "system_log",
                s -> new Retention(s.systemLogMaxAge(), s.systemLogMaxRows(), false));
    }

    static LogTableRows alarms() {
        return new LogTableRows("device alarms", "device_alarm", s -> new Retention(s.alarmsMaxAge(), s.alarmsMaxRows(), false));
    }

    static LogTableRows commandQueue() {
        return new LogTableRows("queued commands", "command_queue", s -> new Retention(s.commandQueueMaxAge(), 0, false));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Retention retention(StorageSettings settings) {
        return retention.apply(settings);
    }

    @Override
    public Optional<Group> next(Connection c, Group after) throws SQLException {
        if (after != null) {
            return Optional.empty();
        }
        return Storage.query(c, "SELECT id FROM " + table + " ORDER BY id LIMIT 1", rs -> WHOLE_TABLE).stream().findFirst();
    }

    @Override
    public List<Row> oldest(Connection c, Group group, int limit) throws SQLException {
        return Storage.query(c, "SELECT id, ts FROM " + table + " ORDER BY id LIMIT ?", rs -> new Row(rs.getLong(1), 0, rs.getLong(2)),
                limit);
    }

    @Override
    public Optional<Row> lastBeyond(Connection c, Group group, int maxRows) throws SQLException {
        return Storage.query(c, "SELECT id, ts FROM " + table + " ORDER BY id DESC LIMIT 1 OFFSET ?",
                rs -> new Row(rs.getLong(1), 0, rs.getLong(2)), maxRows).stream().findFirst();
    }

    @Override
    public int delete(Connection c, Group group, List<Row> rows) throws SQLException {
        return RetainedRows.batch(c, "DELETE FROM " + table + " WHERE id = ?", rows.stream().map(r -> new Object[] {r.key()}).toList());
    }
}
