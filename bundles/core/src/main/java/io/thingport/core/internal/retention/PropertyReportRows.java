package io.thingport.core.internal.retention;

import io.thingport.core.internal.registry.PropertyReports;
import io.thingport.core.internal.retention.PurgeSelection.Retention;
import io.thingport.core.internal.retention.PurgeSelection.Row;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The property history's retention: reports older than {@code propertyHistory.maxAgeDays} (by their own timestamp),
 * and beyond the newest {@code propertyHistory.maxReportsPerDevice} of a device, go — but never a report that holds a
 * property's newest value: it is that property's latest value. A group is a device, walked through the index
 * {@code property_report (device_id, ts DESC, id DESC)}. (H2 cannot walk that index backwards, so it sorts a device's
 * reports for the purge's oldest-first reads: a background cost, kept off the ingest path and the user's reads.)
 */
final class PropertyReportRows implements RetainedRows {
    static final String FIRST = "SELECT device_id FROM property_report ORDER BY device_id LIMIT 1";
    static final String NEXT_DEVICE = "SELECT device_id FROM property_report WHERE device_id > ? ORDER BY device_id LIMIT 1";
    static final String OLDEST = "SELECT ts, id, properties FROM property_report WHERE device_id = ? ORDER BY ts, id LIMIT ?";
    static final String LAST_BEYOND = "SELECT ts, id FROM property_report WHERE device_id = ? ORDER BY device_id, ts DESC, id DESC"
            + " LIMIT 1 OFFSET ?";
    /** Later reports of the device that may hold a property, oldest first. */
    static final String LATER_HOLDING = "SELECT properties, ts, id FROM property_report WHERE device_id = ? AND "
            + PropertyReports.MAY_HOLD + " AND (ts > ? OR (ts = ? AND id > ?)) ORDER BY ts, id LIMIT ";
    static final int PAGE = 100;
    static final String DELETE = "DELETE FROM property_report WHERE device_id = ? AND id = ?";

    private record Stored(long ts, long id, String properties) {
        Row row() {
            return new Row(ts, id, ts);
        }
    }

    @Override
    public String name() {
        return "property reports";
    }

    @Override
    public Retention retention(StorageSettings settings) {
        // Not "keep the group's newest row": the rows that hold latest values are left out of oldest() instead.
        return new Retention(settings.propertyHistoryMaxAge(), settings.propertyHistoryMaxReportsPerDevice(), false);
    }

    @Override
    public Optional<Group> next(Connection c, Group after) throws SQLException {
        return after == null ? Storage.query(c, FIRST, rs -> new Group(rs.getString(1), null)).stream().findFirst()
                : Storage.query(c, NEXT_DEVICE, rs -> new Group(rs.getString(1), null), after.deviceId()).stream().findFirst();
    }

    /**
     * The oldest {@code limit} reports of the device, less those that hold a property's newest value (a property of
     * theirs that no later report holds). Those are never returned, so never deleted.
     */
    @Override
    public List<Row> oldest(Connection c, Group group, int limit) throws SQLException {
        List<Stored> page = Storage.query(c, OLDEST, rs -> new Stored(rs.getLong(1), rs.getLong(2), rs.getString(3)), group.deviceId(),
                limit);
        if (page.isEmpty()) {
            return List.of();
        }
        Stored newest = page.get(page.size() - 1);
        Set<String> names = new LinkedHashSet<>();
        page.forEach(s -> names.addAll(PropertyReports.properties(s.properties())));
        Set<Long> keep = new HashSet<>();
        for (String name : names) {
            if (!heldLater(c, group.deviceId(), name, newest)) {
                // The newest value of this property is in the page: its newest report there stays.
                for (int i = page.size() - 1; i >= 0; i--) {
                    if (PropertyReports.value(page.get(i).properties(), name).isPresent()) {
                        keep.add(page.get(i).id());
                        break;
                    }
                }
            }
        }
        List<Row> out = new ArrayList<>(page.size());
        page.stream().filter(s -> !keep.contains(s.id())).forEach(s -> out.add(s.row()));
        return out;
    }

    /** Whether a report later than {@code after} holds {@code property}. */
    private static boolean heldLater(Connection c, String deviceId, String property, Stored after) throws SQLException {
        String pattern = PropertyReports.pattern(property);
        Stored from = after;
        while (true) {
            List<Stored> later = Storage.query(c, LATER_HOLDING + PAGE, rs -> new Stored(rs.getLong(2), rs.getLong(3), rs.getString(1)),
                    deviceId, pattern, from.ts(), from.ts(), from.id());
            for (Stored s : later) {
                if (PropertyReports.value(s.properties(), property).isPresent()) {
                    return true;
                }
            }
            if (later.size() < PAGE) {
                return false;
            }
            from = later.get(later.size() - 1);
        }
    }

    @Override
    public Optional<Row> lastBeyond(Connection c, Group group, int maxRows) throws SQLException {
        return Storage.query(c, LAST_BEYOND, rs -> new Row(rs.getLong(1), rs.getLong(2), rs.getLong(1)), group.deviceId(), maxRows)
                .stream().findFirst();
    }

    @Override
    public int delete(Connection c, Group group, List<Row> rows) throws SQLException {
        return RetainedRows.batch(c, DELETE, rows.stream().map(r -> new Object[] {group.deviceId(), r.tiebreak()}).toList());
    }
}
