package io.thingport.core.internal.log;

import io.thingport.api.ThingportException;
import io.thingport.api.device.LogQuery;
import io.thingport.api.device.LogType;
import io.thingport.api.message.MessageType;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.TimeRange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * How a device-log query is checked and becomes one statement, as pure functions (the statement's plan is tested on
 * each database). The statement orders by the columns of the index it should walk — {@code (device_id, id)} for a
 * device, {@code (product_id, id)} for a product, the id alone otherwise — in the direction it returns entries: H2
 * takes an index's order only when the ORDER BY names the index's leading columns, and then reads no further than the
 * limit (V13__device_log_query_indexes.sql). The other criteria filter the rows on that walk.
 */
final class LogQueries {
    static final String COLUMNS = "id, ts, device_id, product_id, type, message_type, message_id, topic, raw, decoded, detail,"
            + " truncated";

    private LogQueries() {
    }

    /**
     * Checks what the index walk cannot: the limit, the id bounds and the time range.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the wrong criterion
     */
    static LogQuery checked(LogQuery q) {
        if (q.limit() < 1 || q.limit() > LogQuery.MAX_LIMIT) {
            throw ThingportException.invalidArgument("limit " + q.limit() + " is out of range: it must be from 1 to "
                    + LogQuery.MAX_LIMIT);
        }
        if (q.afterId() != null && q.beforeId() != null) {
            throw ThingportException.invalidArgument("afterId " + q.afterId() + " and beforeId " + q.beforeId()
                    + " cannot be combined: afterId reads forwards (oldest first), beforeId backwards (newest first)");
        }
        TimeRange.of(q.from(), q.to());
        return q;
    }

    /** The statement for a query (checked or not: its limit is taken as it is), oldest first after an id, else newest first. */
    static Sql select(LogQuery q) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        String walk = "";
        if (q.deviceId() != null) {
            where.add("device_id = ?");
            params.add(q.deviceId());
            walk = "device_id, ";
        }
        if (q.productId() != null) {
            where.add("product_id = ?");
            params.add(q.productId());
            walk = walk.isEmpty() ? "product_id, " : walk;
        }
        in(where, params, "type", q.types().stream().map(LogType::name).sorted().toList());
        in(where, params, "message_type", q.messageTypes().stream().map(LogQueries::storedMessageType).distinct().sorted().toList());
        TimeRange range = TimeRange.of(q.from(), q.to());
        if (range.fromMs() != null) {
            where.add("ts >= ?");
            params.add(range.fromMs());
        }
        if (range.toMs() != null) {
            where.add("ts < ?");
            params.add(range.toMs());
        }
        boolean forwards = q.afterId() != null;
        if (forwards) {
            where.add("id > ?");
            params.add(q.afterId());
        } else if (q.beforeId() != null) {
            where.add("id < ?");
            params.add(q.beforeId());
        }
        String sql = "SELECT " + COLUMNS + " FROM device_log" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY " + walk + "id" + (forwards ? "" : " DESC") + " LIMIT " + q.limit();
        return new Sql(sql, params.toArray());
    }

    /**
     * A message type as the log stores it: the type's topic suffix ({@code properties/report}); a query may also name
     * it as in {@link MessageType} ({@code REPORT_PROPERTIES}). Anything else is compared as it is.
     */
    static String storedMessageType(String type) {
        for (MessageType t : MessageType.values()) {
            if (t.name().equals(type.toUpperCase(Locale.ROOT))) {
                return t.topicSuffix();
            }
        }
        return type;
    }

    private static void in(List<String> where, List<Object> params, String column, Collection<String> values) {
        if (!values.isEmpty()) {
            where.add(column + " IN (" + String.join(", ", values.stream().map(v -> "?").toList()) + ")");
            params.addAll(values);
        }
    }
}
