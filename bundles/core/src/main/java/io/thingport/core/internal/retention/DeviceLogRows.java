package io.thingport.core.internal.retention;

import io.thingport.core.internal.retention.PurgeSelection.Retention;
import io.thingport.core.internal.retention.PurgeSelection.Row;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The device log's retention: entries older than {@code deviceLog.maxAgeDays}, and beyond the newest
 * {@code deviceLog.maxRowsPerDevice} of a device id, go. A group is a device id (refused logins of unknown ones
 * included), walked through the index {@code device_log (device_id, id)}; ids grow with time, so a device's oldest
 * entries come first.
 */
final class DeviceLogRows implements RetainedRows {
    static final String FIRST = "SELECT device_id FROM device_log ORDER BY device_id LIMIT 1";
    static final String NEXT = "SELECT device_id FROM device_log WHERE device_id > ? ORDER BY device_id LIMIT 1";
    static final String OLDEST = "SELECT id, ts FROM device_log WHERE device_id = ? ORDER BY id LIMIT ?";
    static final String LAST_BEYOND = "SELECT id, ts FROM device_log WHERE device_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?";
    static final String DELETE = "DELETE FROM device_log WHERE device_id = ? AND id = ?";

    @Override
    public String name() {
        return "device-log rows";
    }

    @Override
    public Retention retention(StorageSettings settings) {
        return new Retention(settings.deviceLogMaxAge(), settings.deviceLogMaxRowsPerDevice(), false);
    }

    @Override
    public Optional<Group> next(Connection c, Group after) throws SQLException {
        List<Group> next = after == null ? Storage.query(c, FIRST, rs -> new Group(rs.getString(1), null))
                : Storage.query(c, NEXT, rs -> new Group(rs.getString(1), null), after.deviceId());
        return next.stream().findFirst();
    }

    @Override
    public List<Row> oldest(Connection c, Group group, int limit) throws SQLException {
        return Storage.query(c, OLDEST, rs -> new Row(rs.getLong(1), 0, rs.getLong(2)), group.deviceId(), limit);
    }

    @Override
    public Optional<Row> lastBeyond(Connection c, Group group, int maxRows) throws SQLException {
        return Storage.query(c, LAST_BEYOND, rs -> new Row(rs.getLong(1), 0, rs.getLong(2)), group.deviceId(), maxRows).stream()
                .findFirst();
    }

    @Override
    public int delete(Connection c, Group group, List<Row> rows) throws SQLException {
        return RetainedRows.batch(c, DELETE, rows.stream().map(r -> new Object[] {group.deviceId(), r.key()}).toList());
    }
}
