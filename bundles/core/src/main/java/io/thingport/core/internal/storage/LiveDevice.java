package io.thingport.core.internal.storage;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The condition under which rows of a device's uplink may be written: the device still exists and is the one the
 * session logged in to — created no later than the session began, so a device deleted and re-created meanwhile is
 * another one and starts empty — and, when the uplink has a key, no other uplink with that key is stored for the device
 * (this one would be a resend). "Other": its own log row (id {@code uplinkId}) does not count. The uplink's log entry
 * selects its values {@code FROM} this condition, and the rest of the write follows that entry (e.g. its property
 * report selects from the entry's row): a write still in flight when its device is deleted changes nothing instead of
 * leaving orphan rows, and a resend changes nothing instead of failing its batch on the unique key.
 *
 * @param deviceId     the device the rows belong to
 * @param sessionStart when the session that received the uplink began (epoch ms); {@link Long#MAX_VALUE} when the
 *                     rows are for another device than the session's (a gateway's child)
 * @param uplinkKey    what tells a resend of the uplink ({@code device_log.uplink_key}), or {@code null}
 * @param uplinkId     the id of the uplink's own log row (ignored without a key)
 */
public record LiveDevice(String deviceId, long sessionStart, String uplinkKey, long uplinkId) {
    private static final String CONDITION = " FROM device WHERE id = ? AND created_at <= ?";
    private static final String NOT_STORED = " AND NOT EXISTS (SELECT 1 FROM device_log WHERE device_id = ? AND uplink_key = ?"
            + " AND id <> ?)";
    /** The statement texts built so far: a handful (one per table and kind of uplink), built once instead of per row. */
    private static final Map<Shape, String> TEXTS = new ConcurrentHashMap<>();

    /** Without an uplink key. */
    public LiveDevice(String deviceId, long sessionStart) {
        this(deviceId, sessionStart, null, 0);
    }

    /** {@code INSERT INTO table (columns) SELECT values FROM device WHERE ...}: inserts one row when the condition holds. */
    public Sql insert(String table, String columns, Object... values) {
        boolean keyed = uplinkKey != null;
        Object[] params = Arrays.copyOf(values, values.length + (keyed ? 5 : 2));
        int i = values.length;
        params[i++] = deviceId;
        params[i++] = sessionStart;
        if (keyed) {
            params[i++] = deviceId;
            params[i++] = uplinkKey;
            params[i] = uplinkId;
        }
        return new Sql(TEXTS.computeIfAbsent(new Shape(table, columns, values.length, keyed), Shape::text), params);
    }

    private record Shape(String table, String columns, int values, boolean keyed) {
        String text() {
            return "INSERT INTO " + table + " (" + columns + ") SELECT " + String.join(", ", Collections.nCopies(values, "?"))
                    + CONDITION + (keyed ? NOT_STORED : "");
        }
    }
}
