package io.thingport.core.internal.registry;

import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceStatus;
import io.thingport.core.internal.storage.Sql;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * How a device-list query is checked and becomes one statement, as pure functions (the statements' plans are tested on
 * each database). A page walks one index in the order of the device ids, filtering the rows on that walk, and reads
 * one row beyond its limit to know whether another page follows (V17__device_tags.sql): the ORDER BY names the
 * columns of the index to walk, as H2 takes an index's order only then. With tags, the walk is over the first tag's
 * index {@code (tag_key, tag_value, device_id)}, each device looked up by its id.
 */
final class DeviceQueries {
    static final String COLUMNS = "d.id, d.product_id, d.name, d.secret, d.enabled, d.created_at, d.online, d.first_online,"
            + " d.online_count, d.last_online, d.last_offline, d.node, d.mac";
    private static final String CURSOR_PREFIX = "device:";

    private DeviceQueries() {
    }

    /**
     * Checks what the statement cannot: the limit, the cursor, the tags and the id prefix; returns the id the page
     * starts after ({@code null} on the first page).
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the wrong criterion
     */
    static String checked(DeviceQuery q) {
        if (q.limit() < 1 || q.limit() > DeviceQuery.MAX_LIMIT) {
            throw ThingportException.invalidArgument("limit " + q.limit() + " is out of range: it must be from 1 to "
                    + DeviceQuery.MAX_LIMIT);
        }
        checkFilters(q);
        return q.cursor() == null ? null : decodeCursor(q.cursor());
    }

    /** Checks the tags and the id prefix (what a count takes too). */
    static void checkFilters(DeviceQuery q) {
        if (q.tags().size() > DeviceService.MAX_TAGS) {
            throw ThingportException.invalidArgument(q.tags().size() + " tags are too many to filter by: at most "
                    + DeviceService.MAX_TAGS);
        }
        q.tags().forEach(DeviceTags::check);
        if (q.idPrefix() != null && q.idPrefix().length() > Identifiers.MAX_ID_LENGTH) {
            throw ThingportException.invalidArgument("id prefix '" + q.idPrefix() + "' is longer than a device id ("
                    + Identifiers.MAX_ID_LENGTH + " characters)");
        }
    }

    /** The cursor of the page after the device {@code lastId}. */
    static String cursor(String lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            text = "";
        }
        String id = text.startsWith(CURSOR_PREFIX) ? text.substring(CURSOR_PREFIX.length()) : "";
        if (id.isEmpty() || id.length() > Identifiers.MAX_ID_LENGTH || !Identifiers.OBJECT_ID.matcher(id).matches()) {
            throw ThingportException.invalidArgument("cursor '" + cursor + "' is not one a device list issued");
        }
        return id;
    }

    /** The page's statement: at most {@code limit + 1} devices after {@code afterId} ({@code null}: from the first). */
    static Sql select(DeviceQuery q, String afterId) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        String from = "device d";
        String order;
        List<Map.Entry<String, String>> tags = new ArrayList<>(q.tags().entrySet());
        if (!tags.isEmpty()) {
            Map.Entry<String, String> first = tags.remove(0);
            from = "device_tag t0 JOIN device d ON d.id = t0.device_id";
            where.add("t0.tag_key = ?");
            params.add(first.getKey());
            where.add("t0.tag_value = ?");
            params.add(first.getValue());
            order = "t0.tag_key, t0.tag_value, t0.device_id";
            where.add("t0.device_id > ?");
        } else if (q.gatewayId() != null) {
            // a gateway's sub-devices: the walk is over its rows of sub_device (gateway_id, device_id), V15__sub_devices.sql
            from = "sub_device g JOIN device d ON d.id = g.device_id";
            where.add("g.gateway_id = ?");
            params.add(q.gatewayId());
            order = "g.gateway_id, g.device_id";
            where.add("g.device_id > ?");
        } else {
            order = walk(q);
            where.add("d.id > ?");
        }
        // The first page starts after '' (every id is greater): with a bound on the id H2 walks the index that orders by
        // it, not the foreign key's (product_id) index it would otherwise take and then sort.
        params.add(afterId == null ? "" : afterId);
        filters(q, tags, where, params);
        if (q.gatewayId() != null && !q.tags().isEmpty()) {
            where.add("EXISTS (SELECT 1 FROM sub_device s WHERE s.device_id = d.id AND s.gateway_id = ?)");
            params.add(q.gatewayId());
        }
        String sql = "SELECT " + COLUMNS + " FROM " + from + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY " + order + " LIMIT " + (q.limit() + 1);
        return new Sql(sql, params.toArray());
    }

    /** The index a query without tags walks, named by its columns (V17__device_tags.sql). */
    private static String walk(DeviceQuery q) {
        boolean oneProduct = q.productIds().size() == 1;
        DeviceStatus s = q.status();
        boolean byOnline = s != null && s != DeviceStatus.DISABLED;
        if (oneProduct) {
            return byOnline ? "d.product_id, d.online, d.id" : "d.product_id, d.id";
        }
        if (byOnline) {
            return "d.online, d.id";
        }
        return s == DeviceStatus.DISABLED ? "d.enabled, d.id" : "d.id";
    }

    /** The statement counting the devices of the query's products, tags and id prefix per status (its status ignored). */
    static Sql countByStatus(DeviceQuery q) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        filters(new DeviceQuery(q.productIds(), null, q.tags(), q.idPrefix(), null, 1), new ArrayList<>(q.tags().entrySet()), where,
                params);
        if (q.gatewayId() != null) {
            where.add("EXISTS (SELECT 1 FROM sub_device s WHERE s.device_id = d.id AND s.gateway_id = ?)");
            params.add(q.gatewayId());
        }
        String sql = "SELECT s, COUNT(*) FROM (SELECT CASE WHEN d.enabled = FALSE THEN 'DISABLED' WHEN d.online = TRUE THEN 'ONLINE'"
                + " WHEN d.first_online IS NULL THEN 'NEVER_CONNECTED' ELSE 'OFFLINE' END AS s FROM device d"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + ") t GROUP BY s";
        return new Sql(sql, params.toArray());
    }

    /** The criteria filtered on the walk: products, status, the tags not walked, the id prefix. */
    private static void filters(DeviceQuery q, List<Map.Entry<String, String>> tags, List<String> where, List<Object> params) {
        if (!q.productIds().isEmpty()) {
            List<String> products = q.productIds().stream().sorted().toList();
            where.add(products.size() == 1 ? "d.product_id = ?" : "d.product_id IN (" + String.join(", ",
                    products.stream().map(p -> "?").toList()) + ")");
            params.addAll(products);
        }
        if (q.status() != null) {
            where.add(switch (q.status()) {
                case ONLINE -> "d.online = TRUE AND d.enabled = TRUE";
                case OFFLINE -> "d.online = FALSE AND d.enabled = TRUE AND d.first_online IS NOT NULL";
                case NEVER_CONNECTED -> "d.online = FALSE AND d.enabled = TRUE AND d.first_online IS NULL";
                case DISABLED -> "d.enabled = FALSE";
            });
        }
        for (Map.Entry<String, String> tag : tags) {
            where.add("EXISTS (SELECT 1 FROM device_tag t WHERE t.device_id = d.id AND t.tag_key = ? AND t.tag_value = ?)");
            params.add(tag.getKey());
            params.add(tag.getValue());
        }
        if (q.idPrefix() != null) {
            where.add("d.id LIKE ? ESCAPE '!'");
            params.add(q.idPrefix().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
    }
}
