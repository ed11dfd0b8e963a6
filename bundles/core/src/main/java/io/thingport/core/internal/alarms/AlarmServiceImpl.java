package io.thingport.core.internal.alarms;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.AlarmPage;
import io.thingport.api.device.AlarmQuery;
import io.thingport.api.device.AlarmService;
import io.thingport.api.device.DeviceAlarm;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.model.PropertyKind;
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.alarms.AlarmRules.Transition;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.storage.IdBlocks;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.Storage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code device_alarm} table. The uplink's atomic write carries the statements {@link #prepare} gives, after the
 * statement that inserts the uplink's log entry: each selects from (or checks) that entry, so a resent report — whose
 * entry is not inserted again — raises or clears nothing twice, and a report that is not stored records nothing. The
 * statements also check the table itself (no second active alarm of a property, only an active one is cleared), so
 * the table stays right even when two reports of a device are in flight at once.
 *
 * <p>Which properties of a device are active is kept in memory (the devices that reported alarm properties lately,
 * at most {@link #MAX_CACHED_DEVICES}; the others are read from the table when they next report one).
 */
@Component(service = {AlarmServiceImpl.class, AlarmService.class})
public final class AlarmServiceImpl implements AlarmService {
    static final int MAX_CACHED_DEVICES = 100_000;
    static final int MAX_VALUE_LENGTH = 2000;
    private static final String COLUMNS = "id, ts, device_id, product_id, property, kind, raised_value, cleared_at, acknowledged_at,"
            + " acknowledged_by";
    private static final String RAISE = "INSERT INTO device_alarm (id, ts, device_id, product_id, property, kind, raised_value,"
            + " raised_report) SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM device_log WHERE id = ? AND NOT EXISTS (SELECT 1 FROM device_alarm"
            + " WHERE device_id = ? AND property = ? AND cleared_at IS NULL)";
    private static final String CLEAR = "UPDATE device_alarm SET cleared_at = ?, cleared_report = ? WHERE device_id = ? AND property = ?"
            + " AND cleared_at IS NULL AND EXISTS (SELECT 1 FROM device_log WHERE id = ?)";

    private final Storage storage;
    private final IdBlocks ids;
    /** Device id → its active alarm properties → alarm id; least recently used first. */
    private final Map<String, Map<String, Long>> active = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Long>> eldest) {
            return size() > MAX_CACHED_DEVICES;
        }
    };

    /** The statements to add to a report's atomic write and the events to publish once it is stored. */
    public record Prepared(String deviceId, List<Sql> statements, List<DeviceEvent> events) {
        public static final Prepared NONE = new Prepared(null, List.of(), List.of());
    }

    @Activate
    public AlarmServiceImpl(@Reference Storage storage) {
        this.storage = storage;
        this.ids = new IdBlocks(storage, "device_alarm", 100);
    }

    /**
     * The alarm statements of a stored report (its log entry id {@code reportId}) and the events they make. Counts
     * them as applied at once (the next report of the device sees them); {@link #abandoned} undoes that when the
     * report's write did not store it.
     */
    public Prepared prepare(String deviceId, String productId, ThingModel model, Map<String, Object> canonical, long reportId,
                            long timestamp) {
        if (!AlarmRules.hasAlarms(model)) {
            return Prepared.NONE;
        }
        Map<String, Long> stored = null;
        while (true) {
            synchronized (active) {
                Map<String, Long> current = active.get(deviceId);
                if (current == null && stored != null) {
                    current = stored;
                    active.put(deviceId, current);
                }
                if (current != null) {
                    return prepare(current, deviceId, productId, model, canonical, reportId, timestamp);
                }
            }
            // read outside the lock: one device's first alarm report does not hold up the others'
            stored = new HashMap<>();
            for (Object[] row : storage.query("SELECT property, id FROM device_alarm WHERE device_id = ? AND cleared_at IS NULL",
                    rs -> new Object[] {rs.getString(1), rs.getLong(2)}, deviceId)) {
                stored.put((String) row[0], (Long) row[1]);
            }
        }
    }

    /** As {@link #prepare(String, String, ThingModel, Map, long, long)}, under the lock, with the device's active alarms. */
    private Prepared prepare(Map<String, Long> current, String deviceId, String productId, ThingModel model,
                             Map<String, Object> canonical, long reportId, long timestamp) {
        List<Transition> transitions = AlarmRules.transitions(model, canonical, current.keySet());
        if (transitions.isEmpty()) {
            return Prepared.NONE;
        }
        List<Sql> statements = new ArrayList<>();
        List<DeviceEvent> events = new ArrayList<>();
        for (Transition t : transitions) {
            String value = clip(Json.write(t.value()));
            long id;
            long raisedAt;
            if (t.raised()) {
                id = ids.next();
                raisedAt = timestamp;
                statements.add(new Sql(RAISE, id, timestamp, deviceId, productId, t.property(), wire(t.kind()), value, reportId,
                        reportId, deviceId, t.property()));
                current.put(t.property(), id);
            } else {
                id = current.remove(t.property());
                raisedAt = -1;
                statements.add(new Sql(CLEAR, timestamp, reportId, deviceId, t.property(), reportId));
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("alarmId", id);
            data.put("property", t.property());
            data.put("kind", wire(t.kind()));
            data.put("state", t.raised() ? "raised" : "cleared");
            data.put("value", t.value());
            if (raisedAt >= 0) {
                data.put("raisedAt", raisedAt);
            } else {
                data.put("clearedAt", timestamp);
            }
            events.add(new DeviceEvent(MessageHeader.of("alarm-" + id + (t.raised() ? "-raised" : "-cleared"), productId, deviceId,
                    timestamp), EVENT_ID, data));
        }
        return new Prepared(deviceId, statements, events);
    }

    /** Forgets what {@link #prepare} assumed for a device whose report was not stored: it is read again next time. */
    public void abandoned(Prepared prepared) {
        if (prepared.deviceId() != null) {
            synchronized (active) {
                active.remove(prepared.deviceId());
            }
        }
    }

    private static String clip(String json) {
        return json.length() <= MAX_VALUE_LENGTH ? json : json.substring(0, MAX_VALUE_LENGTH);
    }

    static String wire(PropertyKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public AlarmPage listAlarms(AlarmQuery q) {
        Objects.requireNonNull(q, "query");
        if (q.limit() < 1 || q.limit() > AlarmQuery.MAX_LIMIT) {
            throw ThingportException.invalidArgument("limit " + q.limit() + " is out of range: it must be from 1 to "
                    + AlarmQuery.MAX_LIMIT);
        }
        if (q.from() != null && q.to() != null && !q.from().isBefore(q.to())) {
            throw ThingportException.invalidArgument("from: must be before to");
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM device_alarm WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        condition(sql, params, " AND device_id = ?", q.deviceId());
        condition(sql, params, " AND product_id = ?", q.productId());
        if (q.activeOnly()) {
            sql.append(" AND cleared_at IS NULL");
        }
        condition(sql, params, " AND ts >= ?", q.from() == null ? null : q.from().toEpochMilli());
        condition(sql, params, " AND ts < ?", q.to() == null ? null : q.to().toEpochMilli());
        condition(sql, params, " AND id < ?", q.beforeId());
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(q.limit() + 1);
        List<DeviceAlarm> rows = storage.query(sql.toString(), AlarmServiceImpl::alarm, params.toArray());
        if (rows.size() <= q.limit()) {
            return new AlarmPage(rows, null);
        }
        List<DeviceAlarm> page = rows.subList(0, q.limit());
        return new AlarmPage(page, page.get(page.size() - 1).id());
    }

    private static void condition(StringBuilder sql, List<Object> params, String text, Object value) {
        if (value != null) {
            sql.append(text);
            params.add(value);
        }
    }

    @Override
    public DeviceAlarm getAlarm(long alarmId) {
        return storage.queryOne("SELECT " + COLUMNS + " FROM device_alarm WHERE id = ?", AlarmServiceImpl::alarm, alarmId)
                .orElseThrow(() -> ThingportException.notFound("alarm", Long.toString(alarmId)));
    }

    @Override
    public DeviceAlarm acknowledge(long alarmId, String by) {
        if (by == null || by.isBlank()) {
            throw ThingportException.invalidArgument("by: who acknowledges the alarm is required");
        }
        String who = by.length() > 128 ? by.substring(0, 128) : by;
        long now = System.currentTimeMillis();
        int changed = storage.transaction(c -> Storage.update(c, "UPDATE device_alarm SET acknowledged_at = ?, acknowledged_by = ?"
                + " WHERE id = ? AND acknowledged_at IS NULL", now, who, alarmId));
        DeviceAlarm alarm = getAlarm(alarmId);
        if (changed == 0) {
            throw new ThingportException(ErrorCode.CONFLICT, "alarm " + alarmId + " was acknowledged already, by "
                    + alarm.acknowledgedBy() + " at " + alarm.acknowledgedAt());
        }
        return alarm;
    }

    private static DeviceAlarm alarm(ResultSet rs) throws SQLException {
        return new DeviceAlarm(rs.getLong(1), rs.getString(3), rs.getString(4), rs.getString(5),
                PropertyKind.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)), rs.getString(7), Instant.ofEpochMilli(rs.getLong(2)),
                instant(rs, 8), instant(rs, 9), rs.getString(10));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }
}
