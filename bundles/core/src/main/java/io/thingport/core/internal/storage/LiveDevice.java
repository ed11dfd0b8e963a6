package io.thingport.core.internal.storage;

import java.util.Arrays;
import java.util.Collections;

/**
 * The condition under which rows of a device's uplink may be written: the device still exists and is the one the
 * session logged in to — created no later than the session began, so a device deleted and re-created meanwhile is
 * another one and starts empty. Every statement of an uplink's write selects its values {@code FROM} this condition:
 * a write still in flight when its device is deleted changes nothing instead of leaving orphan rows.
 *
 * @param deviceId     the device the rows belong to
 * @param sessionStart when the session that received the uplink began (epoch ms); {@link Long#MAX_VALUE} when the
 *                     rows are for another device than the session's (a gateway's child)
 */
public record LiveDevice(String deviceId, long sessionStart) {
    private static final String CONDITION = " FROM device WHERE id = ? AND created_at <= ?";

    /** {@code INSERT INTO table (columns) SELECT values FROM device WHERE ...}: inserts one row when the condition holds. */
    public Sql insert(String table, String columns, Object... values) {
        String marks = String.join(", ", Collections.nCopies(values.length, "?"));
        Object[] params = Arrays.copyOf(values, values.length + 2);
        params[values.length] = deviceId;
        params[values.length + 1] = sessionStart;
        return new Sql("INSERT INTO " + table + " (" + columns + ") SELECT " + marks + CONDITION, params);
    }
}
