package io.thingport.core.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.AccessQuery;
import io.thingport.api.access.AccessRecord;
import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogQuery;
import io.thingport.core.internal.storage.Dialect;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The access log and the system log on H2 and PostgreSQL: written off the caller's thread, queried by every filter. */
@Tag("storage")
class AccessLogServiceImplTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final Storage storage = new Storage(TestDatabase.create());
    private final AccessLogServiceImpl access = new AccessLogServiceImpl(storage);
    private final SystemLogServiceImpl system = new SystemLogServiceImpl(storage);

    @AfterEach
    void tearDown() {
        access.close();
        system.close();
        storage.close();
    }

    private static AccessRecord call(int second, String channel, String principal, String action, int status, String result) {
        return new AccessRecord(0, T0.plusSeconds(second), channel, principal, principal.equals("-") ? "anonymous" : "user", action,
                "10.0.0.9", status, result, 12);
    }

    private static AccessQuery all(int limit) {
        return new AccessQuery(null, null, null, null, null, null, limit);
    }

    private void recordCalls() throws InterruptedException {
        access.record(call(0, "api", "app-1", "GET /api/v1/devices", 200, "ok"));
        access.record(call(1, "shell", "karaf", "iot:device-list", 200, "ok"));
        access.record(call(2, "api", "-", "GET /api/v1/products", 401, "unauthenticated"));
        access.record(call(3, "api", "app-1", "DELETE /api/v1/devices/d9", 404, "not_found"));
        access.record(call(4, "shell", "karaf", "iot:device-delete d9", 500, "not_found"));
        assertThat(access.flush(30_000)).isTrue();
    }

    private static List<String> actions(List<AccessRecord> records) {
        return records.stream().map(AccessRecord::action).toList();
    }

    @Test
    void recordsAreStoredAndReturnedNewestFirstWithEveryField() throws Exception {
        // Verifies the write path (queued, batched) and the read: ids grow in the order of recording, newest first.
        // GIVEN / WHEN
        recordCalls();
        // THEN
        List<AccessRecord> records = access.query(all(10));
        assertThat(actions(records)).containsExactly("iot:device-delete d9", "DELETE /api/v1/devices/d9", "GET /api/v1/products",
                "iot:device-list", "GET /api/v1/devices");
        AccessRecord newest = records.get(0);
        assertThat(newest.id()).isGreaterThan(records.get(1).id());
        assertThat(newest).isEqualTo(new AccessRecord(newest.id(), T0.plusSeconds(4), "shell", "karaf", "user", "iot:device-delete d9",
                "10.0.0.9", 500, "not_found", 12));
    }

    @Test
    void eachFilterNarrowsTheRecordsAndTheCursorPagesBack() throws Exception {
        // Verifies from (inclusive), to (exclusive), channel, principal, result ok / error / one code, beforeId and limit.
        // GIVEN
        recordCalls();
        // WHEN / THEN
        assertThat(actions(access.query(new AccessQuery(T0.plusSeconds(1), T0.plusSeconds(3), null, null, null, null, 10))))
                .containsExactly("GET /api/v1/products", "iot:device-list");
        assertThat(actions(access.query(new AccessQuery(null, null, "shell", null, null, null, 10))))
                .containsExactly("iot:device-delete d9", "iot:device-list");
        assertThat(actions(access.query(new AccessQuery(null, null, null, "app-1", null, null, 10))))
                .containsExactly("DELETE /api/v1/devices/d9", "GET /api/v1/devices");
        assertThat(actions(access.query(new AccessQuery(null, null, null, null, "ok", null, 10))))
                .containsExactly("iot:device-list", "GET /api/v1/devices");
        assertThat(actions(access.query(new AccessQuery(null, null, null, null, "error", null, 10))))
                .containsExactly("iot:device-delete d9", "DELETE /api/v1/devices/d9", "GET /api/v1/products");
        assertThat(actions(access.query(new AccessQuery(null, null, null, null, "NOT_FOUND", null, 10))))
                .containsExactly("iot:device-delete d9", "DELETE /api/v1/devices/d9");
        assertThat(actions(access.query(new AccessQuery(null, null, "api", "app-1", "error", null, 10))))
                .containsExactly("DELETE /api/v1/devices/d9");
        List<AccessRecord> page1 = access.query(all(2));
        List<AccessRecord> page2 = access.query(new AccessQuery(null, null, null, null, null, page1.get(1).id(), 2));
        List<AccessRecord> page3 = access.query(new AccessQuery(null, null, null, null, null, page2.get(1).id(), 2));
        assertThat(actions(page1)).containsExactly("iot:device-delete d9", "DELETE /api/v1/devices/d9");
        assertThat(actions(page2)).containsExactly("GET /api/v1/products", "iot:device-list");
        assertThat(actions(page3)).containsExactly("GET /api/v1/devices");
    }

    @Test
    void aLimitOutOfRangeIsRefusedAndLongTextsAreCut() throws Exception {
        // Verifies the limit's bounds (1 to 1000) and that an action longer than its column is cut to 1,000
        // characters, a message to 2,000, instead of failing the batch.
        // GIVEN
        access.record(call(0, "shell", "karaf", "iot:rule-test " + "x".repeat(5000), 200, "ok"));
        system.record(SystemEvent.WARN, SystemEvents.RULE, "r1", "m".repeat(5000));
        assertThat(access.flush(30_000)).isTrue();
        assertThat(system.flush(30_000)).isTrue();
        // WHEN / THEN
        for (int bad : new int[] {0, -1, 1001}) {
            assertThatThrownBy(() -> access.query(all(bad))).isInstanceOf(ThingportException.class)
                    .hasMessage("limit must be from 1 to 1000, not " + bad)
                    .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            assertThatThrownBy(() -> system.query(new SystemLogQuery(null, null, null, null, null, null, bad)))
                    .hasMessage("limit must be from 1 to 1000, not " + bad);
        }
        String action = access.query(all(1000)).get(0).action();
        assertThat(action).hasSize(AccessLogServiceImpl.MAX_ACTION).startsWith("iot:rule-test xxx").endsWith("x...");
        String message = system.query(new SystemLogQuery(null, null, null, null, null, null, 1)).get(0).message();
        assertThat(message).hasSize(SystemLogServiceImpl.MAX_MESSAGE).endsWith("m...");
        assertThat(access.lost()).isZero();
    }

    @Test
    void systemEventsAreQueriedByTimeLevelCategorySourceAndCursor() throws Exception {
        // Verifies the system log's filters: a level means that level or a more severe one; an unknown level is refused.
        // GIVEN
        Instant before = Instant.now().minusSeconds(1);
        system.record(SystemEvent.INFO, SystemEvents.COMPONENT, "mqtt", "network component started");
        system.record(SystemEvent.ERROR, SystemEvents.COMPONENT, "tcp", "network component failed to start: port in use");
        system.record("warn", SystemEvents.RULE, "r1", "rule failed to start");
        system.record(SystemEvent.INFO, SystemEvents.CONFIG, "io.thingport.storage", "storage settings changed");
        assertThat(system.flush(30_000)).isTrue();
        Instant after = Instant.now().plusSeconds(1);
        // WHEN / THEN
        assertThat(messages(new SystemLogQuery(null, null, null, null, null, null, 10))).containsExactly("storage settings changed",
                "rule failed to start", "network component failed to start: port in use", "network component started");
        assertThat(messages(new SystemLogQuery(null, null, "WARN", null, null, null, 10))).containsExactly("rule failed to start",
                "network component failed to start: port in use");
        assertThat(messages(new SystemLogQuery(null, null, "error", null, null, null, 10)))
                .containsExactly("network component failed to start: port in use");
        assertThat(messages(new SystemLogQuery(null, null, "INFO", "component", null, null, 10)))
                .containsExactly("network component failed to start: port in use", "network component started");
        assertThat(messages(new SystemLogQuery(null, null, null, null, "mqtt", null, 10))).containsExactly("network component started");
        assertThat(messages(new SystemLogQuery(before, after, null, null, null, null, 10))).hasSize(4);
        assertThat(messages(new SystemLogQuery(after, null, null, null, null, null, 10))).isEmpty();
        assertThat(messages(new SystemLogQuery(null, before, null, null, null, null, 10))).isEmpty();
        List<SystemEvent> newest = system.query(new SystemLogQuery(null, null, null, null, null, null, 1));
        assertThat(messages(new SystemLogQuery(null, null, null, null, null, newest.get(0).id(), 1)))
                .containsExactly("rule failed to start");
        assertThat(newest.get(0).level()).isEqualTo("INFO");
        assertThat(newest.get(0).category()).isEqualTo("config");
        assertThat(newest.get(0).source()).isEqualTo("io.thingport.storage");
        assertThatThrownBy(() -> system.query(new SystemLogQuery(null, null, "DEBUG", null, null, null, 10)))
                .hasMessage("level must be INFO, WARN or ERROR, not DEBUG");
    }

    @Test
    void theNewestFirstReadsAreServedByAnIndex() {
        // Verifies that the log queries walk an index newest first instead of sorting the table (H2 cannot walk its
        // primary key backwards). By principal or source, H2 finds the rows through the index but sorts them itself
        // (it does not read the order of a composite index after an equality). On PostgreSQL, with scans priced out,
        // that an index serves them (its planner's choice of order on a table without statistics is not asserted).
        assertIndexed("SELECT id FROM access_log ORDER BY id DESC LIMIT 50", true);
        assertIndexed("SELECT id FROM access_log WHERE id < ? ORDER BY id DESC LIMIT 50", true, 100L);
        assertIndexed("SELECT id FROM access_log WHERE principal = ? ORDER BY id DESC LIMIT 50", false, "app-1");
        assertIndexed("SELECT id FROM system_log ORDER BY id DESC LIMIT 50", true);
        assertIndexed("SELECT id FROM system_log WHERE source = ? ORDER BY id DESC LIMIT 50", false, "mqtt");
    }

    private void assertIndexed(String sql, boolean sortedOnH2, Object... params) {
        boolean postgresql = TestDatabase.dialect() == Dialect.POSTGRESQL;
        String plan = storage.read(c -> {
            if (postgresql) {
                Storage.update(c, "SET enable_seqscan = off");
            }
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                StringBuilder lines = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.append(rs.getString(1)).append('\n');
                    }
                }
                return lines.toString();
            }
        });
        if (postgresql) {
            assertThat(plan).as(sql).doesNotContain("Seq Scan").contains("Index");
        } else {
            assertThat(plan).as(sql).doesNotContainIgnoringCase("tableScan");
            if (sortedOnH2) {
                assertThat(plan).as(sql).containsIgnoringCase("index sorted");
            }
        }
    }

    private List<String> messages(SystemLogQuery query) {
        return system.query(query).stream().map(SystemEvent::message).toList();
    }
}
