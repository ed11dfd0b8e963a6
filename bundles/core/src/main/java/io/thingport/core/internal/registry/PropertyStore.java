package io.thingport.core.internal.registry;

import io.thingport.api.device.PropertyValue;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.storage.LiveDevice;
import io.thingport.core.internal.storage.RowMapper;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.Storage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code property_history} table: every stored property value. There is no separate "latest" table to keep in
 * step: the latest value of a property is its newest history row, found through the (device, property, ts) index.
 */
final class PropertyStore {
    private static final String COLUMNS = "device_id, property, ts, value_json";
    private static final String NEWEST_FIRST = "SELECT value_json, ts FROM property_history WHERE device_id = ? AND property = ?"
            + " ORDER BY ts DESC, seq DESC LIMIT ";

    private final Storage storage;

    PropertyStore(Storage storage) {
        this.storage = storage;
    }

    /**
     * The statements that append validated, canonical values of one uplink, each written only while {@code device}
     * holds; they are part of the uplink's atomic write.
     */
    static List<Sql> inserts(LiveDevice device, Map<String, Object> canonical, long timestamp) {
        List<Sql> out = new ArrayList<>(canonical.size());
        for (Map.Entry<String, Object> e : canonical.entrySet()) {
            out.add(device.insert("property_history", COLUMNS, device.deviceId(), e.getKey(), timestamp, Json.write(e.getValue())));
        }
        return out;
    }

    /** The newest value of each of {@code names} that has one, in the order of {@code names}. */
    Map<String, PropertyValue> latest(String deviceId, List<String> names) {
        Map<String, PropertyValue> out = new LinkedHashMap<>();
        storage.read(c -> {
            // One indexed look-up per property.
            for (String name : names) {
                Storage.query(c, NEWEST_FIRST + 1, value(deviceId, name), deviceId, name).forEach(v -> out.put(name, v));
            }
            return null;
        });
        return out;
    }

    /** The newest {@code limit} values of one property (at least 1, at most 10,000), newest first. */
    List<PropertyValue> history(String deviceId, String property, int limit) {
        int n = Math.max(1, Math.min(limit, 10_000));
        return storage.query(NEWEST_FIRST + n, value(deviceId, property), deviceId, property);
    }

    private static RowMapper<PropertyValue> value(String deviceId, String property) {
        return rs -> new PropertyValue(deviceId, property, Json.toJava(rs.getString(1)), rs.getString(1),
                Instant.ofEpochMilli(rs.getLong(2)));
    }
}
