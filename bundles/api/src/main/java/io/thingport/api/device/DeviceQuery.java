package io.thingport.api.device;

import io.thingport.api.ThingportException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which devices to list, one page at a time, in the order of their ids. Every criterion may be {@code null} or empty
 * (no restriction); the criteria given must all hold. Since 1.3.
 *
 * @param productIds only devices of one of these products
 * @param status     only devices with this status
 * @param tags       only devices that carry every one of these tags (key and value equal); kept sorted by key
 * @param idPrefix   only devices whose id starts with this text (compared exactly, case-sensitively)
 * @param gatewayId  only the sub-devices of this gateway device ({@link TopologyService})
 * @param cursor     the {@link DevicePage#next()} of the previous page, or {@code null} for the first page
 * @param limit      at most this many devices (1 to {@link #MAX_LIMIT})
 */
public record DeviceQuery(Set<String> productIds, DeviceStatus status, Map<String, String> tags, String idPrefix, String gatewayId,
                          String cursor, int limit) {
    public static final int MAX_LIMIT = 1000;

    public DeviceQuery {
        productIds = productIds == null ? Set.of() : Set.copyOf(productIds);
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
        idPrefix = idPrefix == null || idPrefix.isEmpty() ? null : idPrefix;
        gatewayId = gatewayId == null || gatewayId.isEmpty() ? null : gatewayId;
        cursor = cursor == null || cursor.isEmpty() ? null : cursor;
    }

    /** Without a gateway criterion. */
    public DeviceQuery(Set<String> productIds, DeviceStatus status, Map<String, String> tags, String idPrefix, String cursor,
                       int limit) {
        this(productIds, status, tags, idPrefix, null, cursor, limit);
    }

    /** The first page of all devices. */
    public static DeviceQuery all(int limit) {
        return new DeviceQuery(null, null, null, null, null, null, limit);
    }

    /**
     * Tags written {@code key=value} (as the shell and the Open API take them: the value may be empty and may hold
     * {@code =}), in their order; a key given twice keeps its last value.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} for one without {@code =}
     */
    public static Map<String, String> parseTags(Collection<String> keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : keyValues == null ? List.<String>of() : keyValues) {
            int eq = kv.indexOf('=');
            if (eq < 0) {
                throw ThingportException.invalidArgument("tag '" + kv + "' must be written key=value");
            }
            out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
        }
        return out;
    }

    /** The same query from another page on. */
    public DeviceQuery withCursor(String next) {
        return new DeviceQuery(productIds, status, tags, idPrefix, gatewayId, next, limit);
    }
}
