package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.ImportFormat;
import io.thingport.api.device.LogType;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.Product;
import io.thingport.api.device.PropertyValue;
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.gateway.DeviceSessions;
import io.thingport.core.internal.json.ThingModelJson;
import io.thingport.core.internal.log.DeviceLog;
import io.thingport.core.internal.storage.Storage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryTest {
    static final String MODEL = """
            {"properties":[
              {"id":"temp","name":"Temperature","type":{"type":"float","min":-40,"max":85,"unit":"C"}},
              {"id":"led","type":"bool","access":"read-write"}],
             "functions":[{"id":"reboot","inputs":[{"id":"delay","type":{"type":"int","min":0,"max":60},"required":true}]}],
             "events":[{"id":"overheat","level":"warn","output":{"type":"float"}}]}
            """;

    private JdbcDataSource dataSource;
    private Storage storage;
    private DeviceLog log;
    private Registry registry;

    @BeforeEach
    void setUp() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        start();
    }

    private void start() {
        storage = new Storage(dataSource);
        log = new DeviceLog(storage);
        registry = new Registry(storage, new DeviceSessions(), log);
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    private Product product(boolean dynamic) {
        return registry.createProduct(new NewProduct("p1", "Sensor", null, null, dynamic, ThingModelJson.parse(MODEL)));
    }

    @Test
    void migratesOnceAndSurvivesRestart() {
        // Verifies that the schema is versioned and that data outlives a restart of the storage.
        assertThat(storage.schemaVersion()).isEqualTo(4);
        product(false);
        storage.close();
        start();
        assertThat(storage.schemaVersion()).isEqualTo(4);
        assertThat(registry.getProduct("p1").thingModel().property("temp")).isPresent();
    }

    @Test
    void refusesADatabaseWrittenByANewerVersion() throws Exception {
        // Verifies that a schema newer than this build is refused instead of used.
        storage.close();
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version VALUES (99, 'future', 0)");
        }
        assertThatThrownBy(() -> new Storage(dataSource)).hasMessageContaining("schema is at version 99")
                .hasMessageContaining("written by a newer Thingport");
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("DELETE FROM schema_version WHERE version = 99");
        }
        start();
    }

    @Test
    void createsProductsAndDevicesWithClearConflicts() {
        // Verifies creation, generated secrets and the errors for duplicates and unknown products.
        Product p = product(false);
        assertThat(p.secret()).hasSize(32);
        assertThatThrownBy(() -> product(false)).extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        CreatedDevice d = registry.createDevice(new NewDevice("dev-1", "p1", null, null));
        assertThat(d.secret()).hasSize(32);
        assertThat(d.device().name()).isEqualTo("dev-1");
        assertThat(registry.listDevices("p1")).extracting(x -> x.id()).containsExactly("dev-1");
        assertThatThrownBy(() -> registry.createDevice(new NewDevice("dev-1", "p1", null, null))).hasMessage("device dev-1 already exists");
        assertThatThrownBy(() -> registry.createDevice(new NewDevice("dev-2", "nope", null, null))).hasMessage("product nope does not exist");
        assertThatThrownBy(() -> registry.createDevice(new NewDevice("bad/id", "p1", null, null))).hasMessageContaining("device id 'bad/id'");
        assertThatThrownBy(() -> registry.createDevice(new NewDevice("dev-3", "p1", null, "short"))).hasMessageContaining("8 to 128");
        assertThatThrownBy(() -> registry.deleteProduct("p1")).hasMessageContaining("still has 1 device(s)");
        registry.deleteDevice("dev-1");
        registry.deleteProduct("p1");
        assertThat(registry.listProducts()).isEmpty();
    }

    @Test
    void storesLatestAndHistoryWithoutGoingBackInTime() throws Exception {
        // Verifies property storage: history keeps every value, latest keeps the newest by timestamp.
        product(false);
        registry.createDevice(new NewDevice("dev-1", "p1", null, null));
        registry.storeProperties("dev-1", Map.of("temp", 20.5), 2000).get(5, TimeUnit.SECONDS);
        registry.storeProperties("dev-1", Map.of("temp", 19.0), 1000).get(5, TimeUnit.SECONDS);
        Map<String, PropertyValue> latest = registry.latestProperties("dev-1");
        assertThat(latest.get("temp").value()).isEqualTo(20.5);
        assertThat(registry.propertyHistory("dev-1", "temp", 10)).extracting(PropertyValue::value).containsExactly(20.5, 19.0);
        // reports in the same millisecond: the one stored last is the latest
        for (int i = 1; i <= 5; i++) {
            registry.storeProperties("dev-1", Map.of("temp", 30.0 + i), 3000).get(5, TimeUnit.SECONDS);
        }
        assertThat(registry.latestProperties("dev-1").get("temp").value()).isEqualTo(35.0);
        assertThat(registry.propertyHistory("dev-1", "temp", 2)).extracting(PropertyValue::value).containsExactly(35.0, 34.0);
    }

    @Test
    void importIsAllOrNothing() {
        // Verifies that one bad row refuses the whole file and names every bad line.
        product(false);
        registry.createDevice(new NewDevice("taken", "p1", null, null));
        String csv = "id,name,secret\nd1,One,\nd2,Two,short\nd1,Again,\nbad id,,\n";
        assertThatThrownBy(() -> registry.importDevices("p1", csv, ImportFormat.CSV))
                .hasMessageContaining("line 3: device secret must be 8 to 128")
                .hasMessageContaining("line 4: device d1 appears twice")
                .hasMessageContaining("line 5: device id 'bad id'");
        assertThat(registry.listDevices("p1")).hasSize(1);
        assertThatThrownBy(() -> registry.importDevices("p1", "id\nd1\ntaken\n", ImportFormat.CSV)).hasMessageContaining("device taken already exists");
        assertThat(registry.listDevices("p1")).hasSize(1);
        List<CreatedDevice> created = registry.importDevices("p1", "[{\"id\":\"j1\"},{\"id\":\"j2\",\"secret\":\"abcdefgh\"}]", ImportFormat.JSON);
        assertThat(created).extracting(CreatedDevice::secret).element(1).isEqualTo("abcdefgh");
        assertThat(registry.listDevices("p1")).hasSize(3);
    }

    @Test
    void thingModelJsonRoundTripsAndNamesErrors() {
        // Verifies export/import and the JSON path in import errors.
        product(true);
        String exported = registry.exportJson("p1");
        assertThat(exported).doesNotContain(registry.getProduct("p1").secret());
        registry.deleteProduct("p1");
        Product imported = registry.importJson(exported, false);
        assertThat(ThingModelJson.toJson(imported.thingModel())).isEqualTo(ThingModelJson.toJson(ThingModelJson.parse(MODEL)));
        assertThat(imported.dynamicRegistration()).isTrue();
        assertThatThrownBy(() -> registry.importJson(exported, false)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> ThingModelJson.parse("{\"properties\":[{\"id\":\"t\",\"type\":{\"type\":\"integr\"}}]}"))
                .hasMessageContaining("properties[0].type.type").hasMessageContaining("unknown data type 'integr'");
        assertThatThrownBy(() -> ThingModelJson.parse("{\"properties\":[{\"id\":\"t\",\"type\":\"int\",\"acess\":\"x\"}]}"))
                .hasMessageContaining("properties[0].acess: is not a known key");
        assertThatThrownBy(() -> ThingModelJson.parse("{\"properties\":[{\"id\":\"9t\",\"type\":\"int\"}]}"))
                .hasMessageContaining("properties[0]").hasMessageContaining("must start with a letter");
        ThingModel empty = ThingModelJson.parse("{}");
        assertThat(empty.properties()).isEmpty();
    }

    @Test
    void dynamicRegistrationReturnsTheSameSecretUntilFirstConnection() {
        // Verifies the registration rules of the official protocol.
        product(true);
        String first = registry.register("p1", "auto-1");
        assertThat(registry.register("p1", "auto-1")).isEqualTo(first);
        registry.markOnline("auto-1", 1000).join();
        assertThatThrownBy(() -> registry.register("p1", "auto-1")).hasMessageContaining("already connected");
        registry.createProduct(new NewProduct("p2", null, null, null, false, ThingModel.EMPTY));
        assertThatThrownBy(() -> registry.register("p2", "auto-2")).hasMessageContaining("does not allow dynamic registration");
    }

    @Test
    void aProductBindsOnlyToAnExistingGatewayAndKeepsTheBindingAcrossRestarts() {
        // Verifies setGateway: unknown gateways are refused, the binding is stored, listed per gateway and removable.
        product(false);
        assertThatThrownBy(() -> registry.setGateway("p1", "tcp-gw")).hasMessageContaining("gateway tcp-gw");
        registry.gateways = name -> name.equals("tcp-gw");
        assertThat(registry.setGateway("p1", "tcp-gw").gateway()).isEqualTo("tcp-gw");
        assertThat(registry.productsOfGateway("tcp-gw")).containsExactly("p1");
        storage.close();
        start();
        assertThat(registry.getProduct("p1").gateway()).isEqualTo("tcp-gw");
        assertThat(registry.setGateway("p1", null).gateway()).isNull();
        assertThat(registry.productsOfGateway("tcp-gw")).isEmpty();
    }

    @Test
    void stateAndLogArePersisted() throws Exception {
        // Verifies online/offline bookkeeping and that log entries reach followers after commit.
        product(false);
        registry.createDevice(new NewDevice("dev-1", "p1", null, null));
        List<Object> followed = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AutoCloseable f = log.follow("dev-1", followed::add)) {
            registry.markOnline("dev-1", 1000).get(5, TimeUnit.SECONDS);
            log.write(LogType.ONLINE, "dev-1", "p1", "online", "", "", "", "", "hello").get(5, TimeUnit.SECONDS);
            registry.markOffline("dev-1", 2000).get(5, TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> followed.size() == 1);
        }
        storage.close();
        start();
        var d = registry.getDevice("dev-1");
        assertThat(d.state().onlineCount()).isEqualTo(1);
        assertThat(d.state().firstOnline().toEpochMilli()).isEqualTo(1000);
        assertThat(d.state().online()).isFalse();
        assertThat(log.recent("dev-1", 10)).extracting(e -> e.detail()).containsExactly("hello");
    }

    @Test
    void oneBadWriteFailsAloneInABatch() throws Exception {
        // Verifies that the batched writer isolates a failing write from the others in its batch.
        product(false);
        registry.createDevice(new NewDevice("dev-1", "p1", null, null));
        CompletableFuture<Void> good1 = storage.append("INSERT INTO property_history (device_id, property, ts, value_json) VALUES (?, ?, ?, ?)", "dev-1", "temp", 1L, "1");
        CompletableFuture<Void> bad = storage.append("INSERT INTO property_history (device_id, property, ts, value_json) VALUES (?, ?, ?, ?)", "dev-1", null, 2L, "2");
        CompletableFuture<Void> good2 = storage.append("INSERT INTO property_history (device_id, property, ts, value_json) VALUES (?, ?, ?, ?)", "dev-1", "temp", 3L, "3");
        good1.get(5, TimeUnit.SECONDS);
        good2.get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(registry.propertyHistory("dev-1", "temp", 10)).hasSize(2);
    }
}
