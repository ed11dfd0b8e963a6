package io.thingport.core.internal.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.device.LogType;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.storage.Dialect;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import io.thingport.core.internal.storage.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The retention purge on H2 and PostgreSQL: what goes, what stays, in how many transactions, while the platform writes. */
@Tag("storage")
class RetentionPurgeTest {
    private static final long DAY = 86_400_000L;
    private static final String INSERT_REPORT = "INSERT INTO property_report (id, device_id, ts, properties) VALUES (?, ?, ?, ?)";

    private final DataSource dataSource = TestDatabase.create();
    private final long now = System.currentTimeMillis();
    private long reportIds;
    private Storage storage;
    private DeviceLogServiceImpl log;

    private RetentionPurge start(Map<String, Object> configuration) {
        storage = new Storage(dataSource);
        StorageConfiguration config = new StorageConfiguration(configuration);
        log = new DeviceLogServiceImpl(storage, config);
        return new RetentionPurge(storage, config, () -> now, 1);
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    @Test
    void deviceLogRowsPastTheirAgeArePurgedInBatchesWhileWritesGoOn() throws Exception {
        // Verifies the device log's age rule (30 days by default) and the batches of at most 1,000 rows, with a
        // device writing all along: old rows go, newer ones and every concurrent write stay.
        // GIVEN 2,500 entries 40 days old, a device with 500 old and 10 new ones, and a device with 100 new ones
        RetentionPurge purge = start(Map.of());
        writeLog("dev-old", 2500);
        age("dev-old", 40);
        writeLog("dev-mixed", 500);
        age("dev-mixed", 31);
        writeLog("dev-mixed", 10);
        writeLog("dev-new", 100);
        // WHEN the purge runs while another device keeps writing
        AtomicBoolean purging = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<List<CompletableFuture<Void>>> live = writer.submit(() -> {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            while (purging.get() || writes.size() < 100) {
                writes.add(log.write(LogType.UPLINK, "dev-live", "p1", "properties/report", "m", "", "{}", "{}", ""));
                Thread.sleep(0, 200_000);
            }
            return writes;
        });
        RetentionPurge.Report report = purge.run();
        purging.set(false);
        List<CompletableFuture<Void>> writes = live.get(30, TimeUnit.SECONDS);
        writer.shutdown();
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        // THEN
        assertThat(report.removed()).containsEntry("device-log rows", 3000L);
        assertThat(report.transactions()).isEqualTo(4); // 1,000 + 1,000 + 500 of dev-old, 500 of dev-mixed
        assertThat(report.largestTransaction()).isEqualTo(1000);
        assertThat(logRows("dev-old")).isZero();
        assertThat(logRows("dev-mixed")).isEqualTo(10);
        assertThat(logRows("dev-new")).isEqualTo(100);
        assertThat(logRows("dev-live")).isEqualTo(writes.size());
    }

    @Test
    void propertyReportsPastTheirAgeArePurgedButEachPropertysLatestStays() {
        // Verifies the property history's age rule (90 days by default) with purge.batchSize = 100: the report that
        // holds a property's newest value (its latest value) stays however old it is.
        // GIVEN temp with 1,500 values 100 days old and 5 of yesterday, humidity with 3 old values only, and dev-2's
        // recent temp
        RetentionPurge purge = start(Map.of("purge.batchSize", "100"));
        history("dev-1", "temp", now - 100 * DAY, 1500);
        history("dev-1", "temp", now - DAY, 5);
        history("dev-1", "humidity", now - 100 * DAY, 3);
        history("dev-2", "temp", now - DAY, 10);
        // WHEN
        RetentionPurge.Report report = purge.run();
        // THEN
        assertThat(report.removed()).containsEntry("property reports", 1502L).containsEntry("device-log rows", 0L);
        assertThat(report.transactions()).isEqualTo(16);
        assertThat(report.largestTransaction()).isEqualTo(100);
        assertThat(count("SELECT COUNT(*) FROM property_report WHERE device_id = 'dev-1' AND properties LIKE '%temp%' AND ts >= ?",
                now - DAY)).isEqualTo(5);
        assertThat(count("SELECT COUNT(*) FROM property_report WHERE device_id = 'dev-1' AND properties LIKE '%temp%'")).isEqualTo(5);
        assertThat(count("SELECT ts FROM property_report WHERE device_id = 'dev-1' AND properties LIKE '%humidity%'"))
                .isEqualTo(now - 100 * DAY + 2);
        assertThat(count("SELECT COUNT(*) FROM property_report WHERE device_id = 'dev-2'")).isEqualTo(10);
        assertThat(purge.run().total()).isZero(); // the stale latest value is not looked at again and again
    }

    @Test
    void rowLimitsKeepTheNewestRowsOfEachDeviceAndTheLatestValueOfEachProperty() throws Exception {
        // Verifies deviceLog.maxRowsPerDevice and propertyHistory.maxReportsPerDevice without an age limit: beyond the
        // newest 20 reports, only humidity's newest report stays (its latest value).
        RetentionPurge purge = start(Map.of("deviceLog.maxAgeDays", "0", "deviceLog.maxRowsPerDevice", "50",
                "propertyHistory.maxAgeDays", "0", "propertyHistory.maxReportsPerDevice", "20"));
        writeLog("dev-1", 120);
        writeLog("dev-2", 10);
        history("dev-1", "temp", now - 10 * DAY, 30);
        history("dev-1", "humidity", now - 10 * DAY, 5);
        long newestIds = count("SELECT MIN(id) FROM (SELECT id FROM device_log WHERE device_id = 'dev-1' ORDER BY id DESC LIMIT 50) n");
        // WHEN
        RetentionPurge.Report report = purge.run();
        // THEN
        assertThat(report.removed()).containsEntry("device-log rows", 70L).containsEntry("property reports", 14L);
        assertThat(count("SELECT COUNT(*) FROM device_log WHERE device_id = 'dev-1' AND id >= ?", newestIds)).isEqualTo(50);
        assertThat(logRows("dev-1")).isEqualTo(50);
        assertThat(logRows("dev-2")).isEqualTo(10);
        assertThat(count("SELECT MIN(ts) FROM property_report WHERE properties LIKE '%temp%'")).isEqualTo(now - 10 * DAY + 10);
        assertThat(count("SELECT ts FROM property_report WHERE properties LIKE '%humidity%'")).isEqualTo(now - 10 * DAY + 4);
    }

    @Test
    void theAccessAndSystemLogsArePurgedByAgeAndByTheirRowLimits() {
        // Verifies accessLog.maxAgeDays (90 by default) and systemLog.maxRows: the oldest records go, in batches of
        // purge.batchSize, the newest stay.
        // GIVEN 250 access-log records 100 days old and 20 of yesterday; 12 recent system events, 5 to be kept
        RetentionPurge purge = start(Map.of("purge.batchSize", "100", "systemLog.maxRows", "5"));
        logRows("access_log", 1, now - 100 * DAY, 250);
        logRows("access_log", 251, now - DAY, 20);
        logRows("system_log", 1, now - DAY, 12);
        // WHEN
        RetentionPurge.Report report = purge.run();
        // THEN
        assertThat(report.removed()).containsEntry("access-log records", 250L).containsEntry("system-log events", 7L);
        assertThat(count("SELECT COUNT(*) FROM access_log")).isEqualTo(20);
        assertThat(count("SELECT MIN(id) FROM access_log")).isEqualTo(251);
        assertThat(count("SELECT COUNT(*) FROM system_log")).isEqualTo(5);
        assertThat(count("SELECT MIN(id) FROM system_log")).isEqualTo(8);
        assertThat(report.transactions()).isEqualTo(4); // 100 + 100 + 50 access-log records, 7 system events
        assertThat(purge.run().total()).isZero();
    }

    @Test
    void deviceAlarmsArePurgedByAgeAndByTheirRowLimit() {
        // Verifies alarms.maxAgeDays and alarms.maxRows: alarms raised longer ago go, then the oldest beyond the limit.
        // GIVEN 30 alarms raised 400 days ago (past the default 365) and 10 of yesterday, at most 8 to be kept
        RetentionPurge purge = start(Map.of("alarms.maxRows", "8"));
        logRows("device_alarm", 1, now - 400 * DAY, 30);
        logRows("device_alarm", 31, now - DAY, 10);
        // WHEN
        RetentionPurge.Report report = purge.run();
        // THEN the old ones and the two oldest recent ones went
        assertThat(report.removed()).containsEntry("device alarms", 32L);
        assertThat(count("SELECT COUNT(*) FROM device_alarm")).isEqualTo(8);
        assertThat(count("SELECT MIN(id) FROM device_alarm")).isEqualTo(33);
    }

    @Test
    void theLogsRetentionCanBeSwitchedOff() {
        // Verifies 0 for both keys: nothing of the access log goes, however old.
        RetentionPurge purge = start(Map.of("accessLog.maxAgeDays", "0", "accessLog.maxRows", "0"));
        logRows("access_log", 1, now - 1000 * DAY, 30);
        assertThat(purge.run().removed()).doesNotContainKey("access-log records");
        assertThat(count("SELECT COUNT(*) FROM access_log")).isEqualTo(30);
    }

    @Test
    void aRunWithNothingPastTheRetentionDeletesNothing() throws Exception {
        // Verifies that recent data is left alone and that such a run takes no transaction.
        RetentionPurge purge = start(Map.of());
        writeLog("dev-1", 10);
        history("dev-1", "temp", now - DAY, 10);
        RetentionPurge.Report report = purge.run();
        assertThat(report.total()).isZero();
        assertThat(report.transactions()).isZero();
    }

    @Test
    void everyStatementOfThePurgeIsServedByAnIndex() {
        // Verifies that no purge statement scans a table: the purge relies on the existing indexes only. On PostgreSQL,
        // whose planner prefers a scan of the tiny tables here, with scans priced out: a statement that no index can serve
        // is still planned as a scan.
        start(Map.of());
        assertIndexed(DeviceLogRows.FIRST);
        assertIndexed(DeviceLogRows.NEXT, "dev-1");
        assertIndexed(DeviceLogRows.OLDEST, "dev-1", 1001);
        assertIndexed(DeviceLogRows.LAST_BEYOND, "dev-1", 100);
        assertIndexed(DeviceLogRows.DELETE, "dev-1", 5L);
        assertIndexed(PropertyReportRows.FIRST);
        assertIndexed(PropertyReportRows.NEXT_DEVICE, "dev-1");
        assertIndexed(PropertyReportRows.OLDEST, "dev-1", 1001);
        assertIndexed(PropertyReportRows.LAST_BEYOND, "dev-1", 100);
        assertIndexed(PropertyReportRows.LATER_HOLDING + PropertyReportRows.PAGE, "dev-1", "%\"temp\":%", 5L, 5L, 7L);
        assertIndexed(PropertyReportRows.DELETE, "dev-1", 5L);
        for (String table : List.of("access_log", "system_log")) {
            assertIndexed("SELECT id FROM " + table + " ORDER BY id LIMIT 1");
            assertIndexed("SELECT id, ts FROM " + table + " ORDER BY id LIMIT ?", 1001);
            assertIndexed("SELECT id, ts FROM " + table + " ORDER BY id DESC LIMIT 1 OFFSET ?", 100);
            assertIndexed("DELETE FROM " + table + " WHERE id = ?", 5L);
        }
    }

    private void assertIndexed(String sql, Object... params) {
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
            assertThat(plan).as(sql).doesNotContainIgnoringCase("tableScan").containsAnyOf("DEVICE_LOG_DEVICE", "PROPERTY_REPORT_DEVICE",
                    "PRIMARY_KEY", "_DATA", "_NEWEST");
        }
    }

    private void writeLog(String deviceId, int n) throws Exception {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            writes.add(log.write(LogType.UPLINK, deviceId, "p1", "properties/report", "m" + i, "", "{}", "{}", ""));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    /** Makes a device's log entries {@code days} old. */
    private void age(String deviceId, int days) {
        storage.transaction(c -> Storage.update(c, "UPDATE device_log SET ts = ? WHERE device_id = ?", now - days * DAY, deviceId));
    }

    /** {@code n} values of a property, one a millisecond from {@code from}. */
    private void history(String deviceId, String property, long from, int n) {
        storage.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT_REPORT)) {
                for (int i = 0; i < n; i++) {
                    ps.setLong(1, ++reportIds);
                    ps.setString(2, deviceId);
                    ps.setLong(3, from + i);
                    ps.setString(4, "{\"" + property + "\":" + i + "}");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** {@code n} rows of the access or system log or device alarms from id {@code firstId}, one a millisecond from {@code from}. */
    private void logRows(String table, long firstId, long from, int n) {
        String sql = table.equals("access_log")
                ? "INSERT INTO access_log (id, ts, channel, principal, kind, action, source, status, result, duration_ms)"
                        + " VALUES (?, ?, 'api', 'app-1', 'application', 'GET /api/v1/devices', '10.0.0.9', 200, 'ok', 3)"
                : table.equals("device_alarm")
                ? "INSERT INTO device_alarm (id, ts, device_id, product_id, property, kind, raised_value, raised_report)"
                        + " VALUES (?, ?, 'd1', 'p1', 'overheat', 'alarm', 'true', 1)"
                : "INSERT INTO system_log (id, ts, level, category, source, message) VALUES (?, ?, 'INFO', 'rule', 'r1', 'rule created')";
        storage.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < n; i++) {
                    ps.setLong(1, firstId + i);
                    ps.setLong(2, from + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private long logRows(String deviceId) {
        return count("SELECT COUNT(*) FROM device_log WHERE device_id = ?", deviceId);
    }

    private long count(String sql, Object... params) {
        return storage.queryOne(sql, rs -> rs.getLong(1), params).orElseThrow();
    }
}
