package io.thingport.core.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.device.LogType;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import io.thingport.core.internal.storage.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Device-log ids when two platform nodes share one database. */
@Tag("storage")
class DeviceLogIdsTest {
    private final DataSource dataSource = TestDatabase.create();
    private final List<Storage> nodes = new ArrayList<>();
    private final StorageConfiguration config = new StorageConfiguration(Map.of());

    private Storage node() {
        Storage storage = new Storage(dataSource);
        nodes.add(storage);
        return storage;
    }

    @AfterEach
    void tearDown() {
        nodes.forEach(Storage::close);
    }

    @Test
    void twoNodesWritingAtOnceNeverReuseAnId() throws Exception {
        // Verifies that ids come from the database, not from a counter each node starts at MAX(id): every entry of
        // both nodes is stored, none refused for a duplicate key, also across a node's restart.
        Storage a = node();
        Storage b = node();
        DeviceLogServiceImpl logA = new DeviceLogServiceImpl(a, config);
        DeviceLogServiceImpl logB = new DeviceLogServiceImpl(b, config);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            writes.add(logA.write(LogType.UPLINK, "dev-a", "p", "properties/report", "a" + i, "", "", "", ""));
            writes.add(logB.write(LogType.UPLINK, "dev-b", "p", "properties/report", "b" + i, "", "", "", ""));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        DeviceLogServiceImpl restartedA = new DeviceLogServiceImpl(node(), config);
        restartedA.write(LogType.UPLINK, "dev-a", "p", "properties/report", "after", "", "", "", "").get(60, TimeUnit.SECONDS);
        long rows = a.queryOne("SELECT COUNT(DISTINCT id) FROM device_log", rs -> rs.getLong(1)).orElseThrow();
        assertThat(rows).isEqualTo(3001);
        assertThat(logA.recent("dev-a", 1).get(0).messageId()).isEqualTo("after");
    }
}
