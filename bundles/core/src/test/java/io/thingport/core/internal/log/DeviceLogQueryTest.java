package io.thingport.core.internal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.LogQuery;
import io.thingport.api.device.LogType;
import io.thingport.core.internal.storage.Dialect;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import io.thingport.core.internal.storage.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Device-log queries by device, product, type, message type, time and id on H2 and PostgreSQL. */
@Tag("storage")
class DeviceLogQueryTest {
    private static final long T0 = Instant.parse("2026-12-03T10:00:00Z").toEpochMilli();

    private Storage storage;
    private DeviceLogServiceImpl log;

    /** One stored entry: what a query selects by. */
    private record Row(long id, long ts, String deviceId, String productId, LogType type, String messageType) {
    }

    @BeforeEach
    void setUp() {
        storage = new Storage(TestDatabase.create());
        log = new DeviceLogServiceImpl(storage, new StorageConfiguration(Map.of()));
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    /** Stores entries as they are, with their own ids and times (one transaction). */
    private void store(List<Row> rows) {
        storage.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_log (id, ts, device_id, product_id, type, message_type,"
                    + " message_id, topic, raw, decoded, detail) VALUES (?, ?, ?, ?, ?, ?, ?, '', '', '', '')")) {
                for (Row r : rows) {
                    ps.setLong(1, r.id());
                    ps.setLong(2, r.ts());
                    ps.setString(3, r.deviceId());
                    ps.setString(4, r.productId());
                    ps.setString(5, r.type().name());
                    ps.setString(6, r.messageType());
                    ps.setString(7, "m" + r.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Twelve entries, a second apart: devices d1, d2 of product p1 and d3 of p2; uplinks, downlinks, a rejection, an
     * online, and a refused login of an unknown device (no product).
     */
    private List<Row> sample() {
        List<Row> rows = List.of(
                new Row(101, T0, "d1", "p1", LogType.ONLINE, "online"),
                new Row(102, T0 + 1000, "d1", "p1", LogType.UPLINK, "properties/report"),
                new Row(103, T0 + 2000, "d2", "p1", LogType.UPLINK, "properties/report"),
                new Row(104, T0 + 3000, "d3", "p2", LogType.UPLINK, "event"),
                new Row(105, T0 + 4000, "d1", "p1", LogType.DOWNLINK, "properties/write"),
                new Row(106, T0 + 5000, "d1", "p1", LogType.UPLINK, "properties/write/reply"),
                new Row(107, T0 + 6000, "zz", null, LogType.AUTH_REFUSED, ""),
                new Row(108, T0 + 7000, "d2", "p1", LogType.REJECTED, ""),
                new Row(109, T0 + 8000, "d3", "p2", LogType.UPLINK, "properties/report"),
                new Row(110, T0 + 9000, "d2", "p1", LogType.UPLINK, "event"),
                new Row(111, T0 + 10_000, "d1", "p1", LogType.UPLINK, "properties/report"),
                new Row(112, T0 + 11_000, "d3", "p2", LogType.OFFLINE, "offline"));
        store(rows);
        return rows;
    }

    private List<Long> ids(LogQuery q) {
        return log.query(q).stream().map(DeviceLogEntry::id).toList();
    }

    private static LogQuery where(String deviceId, String productId, Set<LogType> types, Set<String> messageTypes, Instant from,
                                  Instant to) {
        return new LogQuery(deviceId, productId, types, messageTypes, from, to, null, null, 100);
    }

    @Test
    void eachCriterionSelectsItsEntriesNewestFirst() {
        // Verifies every criterion alone and some together; without an id bound the newest entry comes first.
        // GIVEN
        sample();
        // WHEN / THEN
        assertThat(ids(where(null, null, null, null, null, null))).containsExactly(112L, 111L, 110L, 109L, 108L, 107L, 106L, 105L,
                104L, 103L, 102L, 101L);
        assertThat(ids(where("d1", null, null, null, null, null))).containsExactly(111L, 106L, 105L, 102L, 101L);
        assertThat(ids(where(null, "p2", null, null, null, null))).containsExactly(112L, 109L, 104L);
        assertThat(ids(where(null, null, Set.of(LogType.REJECTED, LogType.AUTH_REFUSED), null, null, null)))
                .containsExactly(108L, 107L);
        assertThat(ids(where(null, null, null, Set.of("event"), null, null))).containsExactly(110L, 104L);
        assertThat(ids(where(null, null, null, Set.of("REPORT_PROPERTIES"), null, null))).containsExactly(111L, 109L, 103L, 102L);
        assertThat(ids(where(null, null, null, null, Instant.ofEpochMilli(T0 + 9000), null))).containsExactly(112L, 111L, 110L);
        assertThat(ids(where(null, null, null, null, null, Instant.ofEpochMilli(T0 + 2000)))).containsExactly(102L, 101L);
        // from is inclusive, to exclusive, both rounded up to the stored milliseconds
        assertThat(ids(where(null, null, null, null, Instant.ofEpochMilli(T0 + 999).plusNanos(1),
                Instant.ofEpochMilli(T0 + 3000).plusNanos(1)))).containsExactly(104L, 103L, 102L);
        assertThat(ids(where("d2", "p1", Set.of(LogType.UPLINK), Set.of("properties/report", "event"), Instant.ofEpochMilli(T0),
                Instant.ofEpochMilli(T0 + 20_000)))).containsExactly(110L, 103L);
        assertThat(ids(where("d3", "p1", null, null, null, null))).isEmpty();
        // every column comes back
        assertThat(log.query(where("zz", null, null, null, null, null))).singleElement().satisfies(e -> {
            assertThat(e.timestamp()).isEqualTo(Instant.ofEpochMilli(T0 + 6000));
            assertThat(e.productId()).isNull();
            assertThat(e.type()).isEqualTo(LogType.AUTH_REFUSED);
            assertThat(e.messageId()).isEqualTo("m107");
        });
    }

    @Test
    void idBoundsReadForwardsAfterAnIdAndBackwardsBeforeOne() {
        // Verifies the direction of each bound, that the limit keeps the entries nearest to the bound, and that the
        // criteria still apply; recent() keeps its order (newest last).
        // GIVEN
        sample();
        // WHEN / THEN
        assertThat(ids(new LogQuery(null, "p1", null, null, null, null, 102L, null, 3))).containsExactly(103L, 105L, 106L);
        assertThat(ids(new LogQuery(null, "p1", null, null, null, null, null, 106L, 3))).containsExactly(105L, 103L, 102L);
        assertThat(ids(new LogQuery(null, null, null, null, null, null, 112L, null, 10))).isEmpty();
        assertThat(ids(new LogQuery(null, null, null, null, null, null, null, 101L, 10))).isEmpty();
        assertThat(ids(new LogQuery("d1", null, Set.of(LogType.UPLINK), null, null, null, 0L, null, 10)))
                .containsExactly(102L, 106L, 111L);
        assertThat(ids(new LogQuery(null, null, null, null, null, null, null, null, 2))).containsExactly(112L, 111L);
        assertThat(log.recent(null, 3)).extracting(DeviceLogEntry::id).containsExactly(110L, 111L, 112L);
        assertThat(log.recent("d2", 2)).extracting(DeviceLogEntry::id).containsExactly(108L, 110L);
    }

    @Test
    void pagesBackAndCatchUpWithoutDuplicatesOrGaps() {
        // Verifies paging a product's log back with beforeId and following it forwards with afterId (a stream resuming
        // after a reconnect, while new entries arrive): each entry exactly once, in order.
        // GIVEN 300 entries of two products, interleaved
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            rows.add(new Row(1000 + i, T0 + i, "d" + i % 7, i % 3 == 0 ? "p2" : "p1", LogType.UPLINK, "properties/report"));
        }
        store(rows.subList(0, 250));
        List<Long> p1 = rows.stream().filter(r -> r.productId().equals("p1")).map(Row::id).toList();
        // WHEN paging back from the newest
        List<Long> back = new ArrayList<>();
        List<Long> page = ids(new LogQuery(null, "p1", null, null, null, null, null, null, 7));
        while (!page.isEmpty()) {
            back.addAll(page);
            page = ids(new LogQuery(null, "p1", null, null, null, null, null, page.get(page.size() - 1), 7));
        }
        // AND catching up from the start, while the last 50 entries are stored half-way
        List<Long> forward = new ArrayList<>();
        long last = 0;
        boolean more = true;
        for (int pages = 0; more; pages++) {
            if (pages == 10) {
                store(rows.subList(250, 300));
            }
            page = ids(new LogQuery(null, "p1", null, null, null, null, last, null, 7));
            forward.addAll(page);
            last = page.isEmpty() ? last : page.get(page.size() - 1);
            more = !page.isEmpty() || pages < 10;
        }
        // THEN
        assertThat(back).isEqualTo(p1.stream().filter(id -> id <= 1250).sorted(Comparator.reverseOrder()).toList());
        assertThat(forward).isEqualTo(p1);
    }

    @Test
    void refusesBadLimitsAndBothIdBounds() {
        // Verifies INVALID_ARGUMENT naming the limit or the two ids, before anything is read.
        // GIVEN / WHEN / THEN
        for (int limit : new int[] {0, -1, LogQuery.MAX_LIMIT + 1}) {
            assertThatThrownBy(() -> log.query(new LogQuery(null, null, null, null, null, null, null, null, limit)))
                    .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("limit " + limit + " is out of range");
        }
        assertThatThrownBy(() -> log.query(new LogQuery(null, null, null, null, null, null, 5L, 9L, 10)))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("cannot be combined");
        assertThat(log.query(new LogQuery(null, null, null, null, null, null, null, null, LogQuery.MAX_LIMIT))).isEmpty();
    }

    @Test
    void queriesByProductWalkAnIndexInTheirOrderInsteadOfReadingTheLog() {
        // Verifies the plans on a log of 20,000 entries of 100 products: a product's entries, newest first, before an id
        // and after one, and the whole log's newest entries are read through an index in the order they are returned
        // (no table scan, no sort), so a query reads no further than its limit however big the log is.
        // GIVEN
        List<Row> rows = new ArrayList<>();
        LongStream.rangeClosed(1, 20_000).forEach(i -> rows.add(new Row(i, T0 + i, "d" + i % 1000, "p" + i % 100, LogType.UPLINK,
                "properties/report")));
        store(rows);
        storage.transaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute(TestDatabase.dialect() == Dialect.H2 ? "ANALYZE" : "ANALYZE device_log");
            }
            return null;
        });
        // WHEN / THEN
        for (LogQuery q : List.of(new LogQuery(null, "p7", null, null, null, null, null, null, 10),
                new LogQuery(null, "p7", Set.of(LogType.UPLINK), null, Instant.ofEpochMilli(T0), null, null, 15_007L, 10),
                new LogQuery(null, "p7", null, null, null, null, 5007L, null, 10))) {
            assertThat(plan(q)).as("plan of %s", q).containsIgnoringCase("device_log_product");
            assertWalksInOrder(q);
        }
        assertWalksInOrder(new LogQuery(null, null, null, null, null, null, null, null, 10));
        assertWalksInOrder(new LogQuery(null, null, null, null, null, null, null, 15_000L, 10));
        assertWalksInOrder(new LogQuery(null, null, null, null, null, null, 5000L, null, 10));
        assertThat(ids(new LogQuery(null, "p7", null, null, null, null, null, null, 3))).containsExactly(19_907L, 19_807L, 19_707L);
    }

    private void assertWalksInOrder(LogQuery q) {
        String plan = plan(q);
        if (TestDatabase.dialect() == Dialect.H2) {
            assertThat(plan).as("plan of %s", q).contains("/* index sorted */").doesNotContain("tableScan");
        } else {
            assertThat(plan).as("plan of %s", q).doesNotContain("Seq Scan").doesNotContain("Sort");
        }
    }

    private String plan(LogQuery q) {
        Sql sql = LogQueries.select(LogQueries.checked(q));
        return storage.query("EXPLAIN " + sql.text(), rs -> rs.getString(1), sql.params()).stream()
                .collect(Collectors.joining("\n"));
    }
}
