package io.thingport.core.internal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.LogType;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import io.thingport.core.internal.storage.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bounded payloads of the device log on H2 and PostgreSQL. */
@Tag("storage")
class DeviceLogPayloadTest {
    private static final String BIG = "{\"messageId\":\"m1\",\"properties\":{\"note\":\"" + "x".repeat(100 * 1024) + "\"}}";

    private final DataSource dataSource = TestDatabase.create();
    private Storage storage;

    private DeviceLogServiceImpl start(Map<String, Object> configuration) {
        storage = new Storage(dataSource);
        return new DeviceLogServiceImpl(storage, new StorageConfiguration(configuration));
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    @Test
    void aPayloadOf100KiBIsStoredCutToTheCapAndFlagged() throws Exception {
        // Verifies the default cap of 4,096 bytes on the raw payload and on the decoded message, the flag in the
        // table and on the entry (read back and followed), and that a small payload is stored whole, unflagged.
        // GIVEN
        DeviceLogServiceImpl log = start(Map.of());
        List<DeviceLogEntry> followed = new CopyOnWriteArrayList<>();
        log.follow("dev-1", followed::add);
        // WHEN
        log.write(LogType.UPLINK, "dev-1", "p1", "properties/report", "m1", "/p1/dev-1/properties/report", BIG, BIG, "")
                .get(10, TimeUnit.SECONDS);
        log.write(LogType.UPLINK, "dev-1", "p1", "properties/report", "m2", "/p1/dev-1/properties/report", "{\"t\":1}", "{}", "")
                .get(10, TimeUnit.SECONDS);
        // THEN
        List<DeviceLogEntry> entries = log.recent("dev-1", 10);
        DeviceLogEntry big = entries.get(0);
        assertThat(big.truncated()).isTrue();
        assertThat(big.raw().getBytes(StandardCharsets.UTF_8)).hasSize(4096);
        assertThat(BIG).startsWith(big.raw());
        assertThat(big.decoded()).hasSize(4096);
        assertThat(entries.get(1).truncated()).isFalse();
        assertThat(entries.get(1).raw()).isEqualTo("{\"t\":1}");
        assertThat(storage.query("SELECT LENGTH(raw), truncated FROM device_log ORDER BY id", rs -> rs.getLong(1) + " " + rs.getBoolean(2)))
                .containsExactly("4096 true", "7 false");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(followed).extracting(DeviceLogEntry::truncated)
                .containsExactly(true, false));
    }

    @Test
    void theCapIsConfigured() throws Exception {
        // Verifies deviceLog.maxPayloadBytes.
        DeviceLogServiceImpl log = start(Map.of("deviceLog.maxPayloadBytes", "1024"));
        log.write(LogType.REJECTED, "dev-1", "p1", "", "m1", "/p1/dev-1/x", BIG, "", "malformed").get(10, TimeUnit.SECONDS);
        DeviceLogEntry entry = log.recent("dev-1", 1).get(0);
        assertThat(entry.raw()).hasSize(1024);
        assertThat(entry.decoded()).isEmpty();
        assertThat(entry.truncated()).isTrue();
    }

    @Test
    void aBinaryPayloadWithNulBytesIsKeptAsBase64() throws Exception {
        // Verifies that a frame that is valid UTF-8 but holds NUL bytes (a binary protocol's) is stored as base64 on
        // every database (PostgreSQL's text cannot hold NUL) and comes back whole; text stays text.
        byte[] frame = {0x01, 0x00, 0x02, 'a', 0x00};
        assertThat(DeviceLogServiceImpl.rawText(frame)).isEqualTo("base64:" + Base64.getEncoder().encodeToString(frame));
        assertThat(DeviceLogServiceImpl.rawText("{\"t\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo("{\"t\":1}");
        DeviceLogServiceImpl log = start(Map.of());
        log.write(LogType.UPLINK, "dev-1", "p1", "properties/report", "m1", "compact/report", DeviceLogServiceImpl.rawText(frame), "{}",
                "").get(10, TimeUnit.SECONDS);
        String stored = log.recent("dev-1", 1).get(0).raw();
        assertThat(Base64.getDecoder().decode(stored.substring("base64:".length()))).isEqualTo(frame);
    }
}
