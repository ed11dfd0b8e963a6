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
 * The property history's retention: values older than {@code propertyHistory.maxAgeDays} (by their own timestamp),
 * and beyond the newest {@code propertyHistory.maxRowsPerProperty} of a property, go, but never a property's newest
 * value: it is the property's latest value. A group is one property of a device, walked through the index
 * {@code property_history (device_id, property, ts, seq)}, which orders its values oldest first.
 */
final class PropertyHistoryRows implements RetainedRows {
    static final String FIRST = "SELECT device_id, property FROM property_history ORDER BY device_id, property LIMIT 1";
    static final String NEXT_PROPERTY = "SELECT property FROM property_history WHERE device_id = ? AND property > ?"
            + " ORDER BY property LIMIT 1";
    static final String NEXT_DEVICE = "SELECT device_id, property FROM property_history WHERE device_id > ?"
            + " ORDER BY device_id, property LIMIT 1";
    static final String OLDEST = "SELECT ts, seq FROM property_history WHERE device_id = ? AND property = ? ORDER BY ts, seq LIMIT ?";
    static final String LAST_BEYOND = "SELECT ts, seq FROM property_history WHERE device_id = ? AND property = ?"
            + " ORDER BY ts DESC, seq DESC LIMIT 1 OFFSET ?";
    static final String DELETE = "DELETE FROM property_history WHERE device_id = ? AND property = ? AND ts = ? AND seq = ?";

    @Override
    public String name() {
        return "property-history rows";
    }

    @Override
    public Retention retention(StorageSettings settings) {
        return new Retention(settings.propertyHistoryMaxAge(), settings.propertyHistoryMaxRowsPerProperty(), true);
    }

    @Override
    public Optional<Group> next(Connection c, Group after) throws SQLException {
        if (after == null) {
            return Storage.query(c, FIRST, rs -> new Group(rs.getString(1), rs.getString(2))).stream().findFirst();
        }
        Optional<Group> sameDevice = Storage.query(c, NEXT_PROPERTY, rs -> new Group(after.deviceId(), rs.getString(1)),
                after.deviceId(), after.property()).stream().findFirst();
        return sameDevice.isPresent() ? sameDevice
                : Storage.query(c, NEXT_DEVICE, rs -> new Group(rs.getString(1), rs.getString(2)), after.deviceId()).stream().findFirst();
    }

    @Override
    public List<Row> oldest(Connection c, Group group, int limit) throws SQLException {
        return Storage.query(c, OLDEST, rs -> new Row(rs.getLong(1), rs.getLong(2), rs.getLong(1)), group.deviceId(), group.property(),
                limit);
    }

    @Override
    public Optional<Row> lastBeyond(Connection c, Group group, int maxRows) throws SQLException {
        return Storage.query(c, LAST_BEYOND, rs -> new Row(rs.getLong(1), rs.getLong(2), rs.getLong(1)), group.deviceId(),
                group.property(), maxRows).stream().findFirst();
    }

    @Override
    public int delete(Connection c, Group group, List<Row> rows) throws SQLException {
        return RetainedRows.batch(c, DELETE, rows.stream().map(r -> new Object[] {group.deviceId(), group.property(), r.key(),
                r.tiebreak()}).toList());
    }
}
