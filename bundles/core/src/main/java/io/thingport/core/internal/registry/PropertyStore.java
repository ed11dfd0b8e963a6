package io.thingport.core.internal.registry;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.PropertyValue;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.TimeRange;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

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
    /**
     * A device's reports newest first, through the index's own order {@code (device_id, ts DESC, id DESC)} (H2 then reads
     * the newest rows first and stops at the limit), each with its properties when it may hold the property (a text
     * match that the parsed object confirms), else none: a walk moves on by every report it reads, whether the report
     * holds the property or not, so that what it reads is bounded by rows and it knows where it stopped.
     */
    private static final String REPORTS = "SELECT ts, id, CASE WHEN " + PropertyReports.MAY_HOLD + " THEN properties END"
            + " FROM property_report WHERE device_id = ?";
    /**
     * The reports after a position. Its {@code ts <= ?} is implied by the rest, but a database takes it as where in the
     * index to start: without it, H2 walks from the device's newest report to the position on every read.
     */
    private static final String AFTER = " AND ts <= ? AND (ts < ? OR (ts = ? AND id < ?))";
    private static final String NEWEST_FIRST = " ORDER BY device_id, ts DESC, id DESC LIMIT ";
    /** Reports read per query. */
    static final int PAGE = 500;
    /**
     * The most reports one page of history reads: a page of a rarely reported property may hold fewer values than asked
     * for, none even, and a cursor to go on with.
     */
    static final int PAGE_SCAN = 10_000;

    private final Storage storage;

    /** A value found, with the id of its report. */
    record Found(long id, PropertyValue value) {
    }

    /** Where a walk stopped: the last report it read, {@code null} when it read the device's last one; how many it read. */
    record Walked(ReportPosition next, long reports) {
    }

    /** One page of values, newest first, and where the next one starts ({@code null}: there is none). */
    record Page(List<PropertyValue> values, ReportPosition next) {
    }

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
                walk(c, deviceId, name, TimeRange.ALL, null, Long.MAX_VALUE, found -> {
                    out.put(name, found.value());
                    return false;
                });
            }
            return null;
        });
        return out;
    }

    /**
     * Up to {@code limit} values of one property within {@code range}, newest first, after {@code after} ({@code null}:
     * from the newest), reading at most {@link #PAGE_SCAN} reports.
     */
    Page page(String deviceId, String property, TimeRange range, ReportPosition after, int limit) {
        List<PropertyValue> values = new ArrayList<>();
        Walked walked = storage.read(c -> walk(c, deviceId, property, range, after, PAGE_SCAN, found -> {
            values.add(found.value());
            return values.size() < limit;
        }));
        return new Page(values, walked.next());
    }

    /**
     * Folds the values of one property into {@code buckets} (over their range), as long as the device has at most
     * {@code maxReports} reports in it (counted first through the index, and again while reading, for reports stored
     * in between); holds no more than one query's rows at a time.
     *
     * @throws ThingportException {@code TOO_LARGE} when it has more
     */
    void fold(String deviceId, String property, Buckets buckets, long maxReports) {
        TimeRange range = buckets.range();
        storage.read(c -> {
            long counted = count(c, deviceId, range, maxReports + 1);
            long read = counted > maxReports ? counted : walk(c, deviceId, property, range, null, maxReports + 1, found -> {
                buckets.add(found.value().timestamp().toEpochMilli(), found.id(), found.value().value());
                return true;
            }).reports();
            if (read > maxReports) {
                throw new ThingportException(ErrorCode.TOO_LARGE, "device " + deviceId + " has more than " + maxReports
                        + " property reports from " + Instant.ofEpochMilli(range.fromMs()) + " to " + Instant.ofEpochMilli(range.toMs())
                        + ": choose a shorter range");
            }
            return null;
        });
    }

    /** How many reports the device has within {@code range}, counting no further than {@code max}. */
    private static long count(Connection c, String deviceId, TimeRange range, long max) throws SQLException {
        String sql = "SELECT COUNT(*) FROM (SELECT 1 FROM property_report WHERE device_id = ?" + range.condition("ts")
                + " LIMIT ?) bounded";
        return Storage.query(c, sql, rs -> rs.getLong(1), concat(new Object[] {deviceId}, range.params(), new Object[] {max})).get(0);
    }

    /**
     * Walks the device's reports within {@code range}, newest first, after {@code after} ({@code null}: from the
     * newest), reading at most {@code maxReports}, and hands each value of {@code property} to {@code sink} until it
     * answers {@code false}.
     */
    private static Walked walk(Connection c, String deviceId, String property, TimeRange range, ReportPosition after,
                               long maxReports, Predicate<Found> sink) throws SQLException {
        ReportPosition at = after;
        long read = 0;
        while (read < maxReports) {
            int n = (int) Math.min(PAGE, maxReports - read);
            Sql reads = reads(deviceId, property, range, at, n);
            List<Report> reports = Storage.query(c, reads.text(), PropertyStore::report, reads.params());
            for (int i = 0; i < reports.size(); i++) {
                Report r = reports.get(i);
                read++;
                at = new ReportPosition(r.ts(), r.id());
                Optional<PropertyValue> value = r.value(deviceId, property);
                if (value.isPresent() && !sink.test(new Found(r.id(), value.get()))) {
                    boolean last = i == reports.size() - 1 && reports.size() < n;
                    return new Walked(last ? null : at, read);
                }
            }
            if (reports.size() < n) {
                return new Walked(null, read);
            }
        }
        return new Walked(at, read);
    }

    /** One read of a walk: the next {@code n} reports within {@code range} after {@code at} ({@code null}: the newest). */
    static Sql reads(String deviceId, String property, TimeRange range, ReportPosition at, int n) {
        Object[] position = at == null ? new Object[0] : new Object[] {at.ts(), at.ts(), at.ts(), at.id()};
        return new Sql(REPORTS + range.condition("ts") + (at == null ? "" : AFTER) + NEWEST_FIRST + n,
                concat(new Object[] {PropertyReports.pattern(property), deviceId}, range.params(), position));
    }

    private static Object[] concat(Object[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray();
    }

    private static Report report(ResultSet rs) throws SQLException {
        return new Report(rs.getLong(1), rs.getLong(2), rs.getString(3));
    }

    /** One stored report, with its properties when it may hold the property looked for. */
    private record Report(long ts, long id, String properties) {
        /** Its value of {@code property}, when the report holds one (a key at the top level, not inside a value). */
        Optional<PropertyValue> value(String deviceId, String property) {
            return properties == null ? Optional.empty() : PropertyReports.value(properties, property)
                    .map(json -> new PropertyValue(deviceId, property, Json.toJava(json), json, Instant.ofEpochMilli(ts)));
        }
    }
}
