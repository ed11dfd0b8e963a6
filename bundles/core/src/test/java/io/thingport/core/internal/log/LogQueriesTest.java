package io.thingport.core.internal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.LogQuery;
import io.thingport.api.device.LogType;
import io.thingport.core.internal.storage.Sql;
import java.time.Instant;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** How a device-log query is checked and becomes SQL, without storage. */
class LogQueriesTest {
    private static final String SELECT = "SELECT " + LogQueries.COLUMNS + " FROM device_log";

    @Test
    void theStatementOrdersByTheIndexItShouldWalk() {
        // Verifies the ORDER BY for a device, a product, both and neither, in each direction: the index's leading columns
        // first, so that H2 walks the index in its order and stops at the limit.
        // GIVEN / WHEN / THEN
        assertThat(LogQueries.select(query(null, null, null, null, 10)))
                .isEqualTo(new Sql(SELECT + " ORDER BY id DESC LIMIT 10"));
        assertThat(LogQueries.select(query("d1", null, null, null, 10)))
                .isEqualTo(new Sql(SELECT + " WHERE device_id = ? ORDER BY device_id, id DESC LIMIT 10", "d1"));
        assertThat(LogQueries.select(query(null, "p1", 7L, null, 10)))
                .isEqualTo(new Sql(SELECT + " WHERE product_id = ? AND id > ? ORDER BY product_id, id LIMIT 10", "p1", 7L));
        assertThat(LogQueries.select(query("d1", "p1", null, 7L, 5)))
                .isEqualTo(new Sql(SELECT + " WHERE device_id = ? AND product_id = ? AND id < ? ORDER BY device_id, id DESC LIMIT 5",
                        "d1", "p1", 7L));
        assertThat(LogQueries.select(query(null, null, 0L, null, 1)))
                .isEqualTo(new Sql(SELECT + " WHERE id > ? ORDER BY id LIMIT 1", 0L));
    }

    @Test
    void everyOtherCriterionFiltersTheWalk() {
        // Verifies types, message types (as stored, or named as in MessageType) and the time range, rounded up to whole
        // milliseconds.
        // GIVEN
        LogQuery q = new LogQuery(null, "p1", Set.of(LogType.REJECTED, LogType.UPLINK), Set.of("REPORT_PROPERTIES", "event", "x/y"),
                Instant.ofEpochSecond(0, 1_500_000), Instant.ofEpochMilli(9), null, null, 20);
        // WHEN
        Sql sql = LogQueries.select(q);
        // THEN
        assertThat(sql).isEqualTo(new Sql(SELECT + " WHERE product_id = ? AND type IN (?, ?) AND message_type IN (?, ?, ?)"
                + " AND ts >= ? AND ts < ? ORDER BY product_id, id DESC LIMIT 20", "p1", "REJECTED", "UPLINK", "event",
                "properties/report", "x/y", 2L, 9L));
        assertThat(LogQueries.storedMessageType("invoke_function_reply")).isEqualTo("function/invoke/reply");
        assertThat(LogQueries.storedMessageType("subscribe")).isEqualTo("subscribe");
    }

    @Test
    void refusesBadLimitsBothIdBoundsAndAnEmptyRange() {
        // Verifies INVALID_ARGUMENT naming the limit, the two ids and the range.
        // GIVEN
        Instant t = Instant.parse("2026-12-03T10:00:00Z");
        // WHEN / THEN
        assertThat(LogQueries.checked(query(null, null, null, null, 1)).limit()).isEqualTo(1);
        assertThat(LogQueries.checked(query(null, null, null, null, LogQuery.MAX_LIMIT)).limit()).isEqualTo(1000);
        assertInvalid(() -> LogQueries.checked(query(null, null, null, null, 0)), "limit 0 is out of range: it must be from 1 to 1000");
        assertInvalid(() -> LogQueries.checked(query(null, null, null, null, 1001)), "limit 1001 is out of range");
        assertInvalid(() -> LogQueries.checked(query(null, null, null, null, -5)), "limit -5 is out of range");
        assertInvalid(() -> LogQueries.checked(query(null, null, 1L, 9L, 10)), "afterId 1 and beforeId 9 cannot be combined");
        assertInvalid(() -> LogQueries.checked(new LogQuery(null, null, null, null, t, t, null, null, 10)), "must be before to");
        assertInvalid(() -> LogQueries.checked(new LogQuery(null, null, null, null, Instant.MAX, null, null, null, 10)),
                "is out of range");
    }

    private static LogQuery query(String deviceId, String productId, Long afterId, Long beforeId, int limit) {
        return new LogQuery(deviceId, productId, null, null, null, null, afterId, beforeId, limit);
    }

    private static void assertInvalid(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ThingportException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT)).hasMessageContaining(message);
    }
}
