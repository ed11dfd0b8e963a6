package io.thingport.core.internal.registry;

import io.thingport.api.device.PropertyValue;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.Storage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code property_report} table: the validated values of each uplink, one row per message (a JSON object of
 * property id to canonical value), keyed by the id of the uplink's device-log entry. A property's history is the
 * reports that hold it, newest first through the index {@code (device_id, ts DESC, id DESC)}; its latest value is the newest of
 * them. There is no separate "latest" table to keep in step.
 */
final class PropertyStore {
    static final String COLUMNS = "id, device_id, ts, properties";
    private static final String AFTER_LOG_ENTRY = "INSERT INTO property_report (" + COLUMNS + ") SELECT ?, ?, ?, ?"
            + " FROM device_log WHERE id = ?";
    /** Reports of a device that may hold a property (the text match is confirmed on the parsed object), newest first. */
    private static final String HOLDING = "SELECT properties, ts, id FROM property_report WHERE device_id = ? AND "
            + PropertyReports.MAY_HOLD;
    /** The index's own order (device_id, ts DESC, id DESC): H2 then reads the newest rows first and stops at the limit. */
    private static final String NEWEST_FIRST = " ORDER BY device_id, ts DESC, id DESC LIMIT ";
    private static final String BEFORE = " AND (ts < ? OR (ts = ? AND id < ?))";
    /** Reports read per query while looking for a property's values. */
    static final int PAGE = 200;

    private final Storage storage;

    PropertyStore(Storage storage) {
        this.storage = storage;
    }

    /**
     * The statement that stores the validated, canonical values of one uplink as one report with the id of its log
     * entry; part of the uplink's atomic write, after the statement that inserts that entry. It inserts exactly when the
     * entry was inserted (it selects from it): the entry's own condition — the device still the session's, the message
     * not a resend — decides for both, checked once. None for an uplink without values.
     */
    static List<Sql> inserts(String deviceId, long reportId, Map<String, Object> canonical, long timestamp) {
        if (canonical.isEmpty()) {
            return List.of();
        }
        return List.of(new Sql(AFTER_LOG_ENTRY, reportId, deviceId, timestamp, Json.write(canonical), reportId));
    }

    /** The newest value of each of {@code names} that has one, in the order of {@code names}. */
    Map<String, PropertyValue> latest(String deviceId, List<String> names) {
        Map<String, PropertyValue> out = new LinkedHashMap<>();
        storage.read(c -> {
            for (String name : names) {
                values(c, deviceId, name, 1).stream().findFirst().ifPresent(v -> out.put(name, v));
            }
            return null;
        });
        return out;
    }

    /** The newest {@code limit} values of one property (at least 1, at most 10,000), newest first. */
    List<PropertyValue> history(String deviceId, String property, int limit) {
        int n = Math.max(1, Math.min(limit, 10_000));
        return storage.read(c -> values(c, deviceId, property, n));
    }

    /** Walks the device's reports that mention {@code property}, newest first, until {@code limit} values are found. */
    private static List<PropertyValue> values(Connection c, String deviceId, String property, int limit) throws SQLException {
        List<PropertyValue> out = new ArrayList<>();
        String pattern = PropertyReports.pattern(property);
        Report last = null;
        while (out.size() < limit) {
            List<Report> page = last == null
                    ? Storage.query(c, HOLDING + NEWEST_FIRST + PAGE, PropertyStore::report, deviceId, pattern)
                    : Storage.query(c, HOLDING + BEFORE + NEWEST_FIRST + PAGE, PropertyStore::report, deviceId, pattern, last.ts(),
                            last.ts(), last.id());
            for (Report r : page) {
                r.value(deviceId, property).ifPresent(out::add);
                if (out.size() == limit) {
                    break;
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            last = page.get(page.size() - 1);
        }
        return out;
    }

    private static Report report(ResultSet rs) throws SQLException {
        return new Report(rs.getString(1), rs.getLong(2), rs.getLong(3));
    }

    /** One stored report. */
    private record Report(String properties, long ts, long id) {
        /** Its value of {@code property}, when the report holds one (a key at the top level, not inside a value). */
        Optional<PropertyValue> value(String deviceId, String property) {
            return PropertyReports.value(properties, property)
                    .map(json -> new PropertyValue(deviceId, property, Json.toJava(json), json, Instant.ofEpochMilli(ts)));
        }
    }
}
