package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.Device;
import io.thingport.api.device.ImportFormat;
import io.thingport.api.device.ImportProgress;
import io.thingport.api.device.LogType;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.Product;
import io.thingport.api.device.PropertyValue;
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.storage.AtomicWrite;
import io.thingport.core.internal.storage.LiveDevice;
import io.thingport.core.internal.storage.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Devices, their state and their properties on H2 and PostgreSQL. */
@Tag("storage")
class DeviceServiceImplTest {
    private static final String INSERT_REPORT = "INSERT INTO property_report (id, device_id, ts, properties) VALUES (?, ?, ?, ?)";

    private RegistryFixture fixture;
    private ProductServiceImpl products;
    private DeviceServiceImpl devices;

    @BeforeEach
    void setUp() {
        fixture = new RegistryFixture();
        started();
    }

    /** Takes the services of the fixture's current start. */
    private void started() {
        products = fixture.products;
        devices = fixture.devices;
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void createsProductsAndDevicesWithClearConflicts() {
        // Verifies creation, generated secrets and the errors for duplicates and unknown products.
        Product p = fixture.product(false);
        assertThat(p.secret()).hasSize(32);
        assertThatThrownBy(() -> fixture.product(false)).extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        CreatedDevice d = devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        assertThat(d.secret()).hasSize(32);
        assertThat(d.device().name()).isEqualTo("dev-1");
        assertThat(devices.listDevices("p1")).extracting(x -> x.id()).containsExactly("dev-1");
        assertThatThrownBy(() -> devices.createDevice(new NewDevice("dev-1", "p1", null, null))).hasMessage("device dev-1 already exists");
        assertThatThrownBy(() -> devices.createDevice(new NewDevice("dev-2", "nope", null, null)))
                .hasMessage("product nope does not exist");
        assertThatThrownBy(() -> devices.createDevice(new NewDevice("bad/id", "p1", null, null)))
                .hasMessageContaining("device id 'bad/id'");
        assertThatThrownBy(() -> devices.createDevice(new NewDevice("dev-3", "p1", null, "short"))).hasMessageContaining("8 to 128");
        assertThatThrownBy(() -> products.deleteProduct("p1")).hasMessageContaining("still has 1 device(s)");
        devices.deleteDevice("dev-1");
        products.deleteProduct("p1");
        assertThat(products.listProducts()).isEmpty();
    }

    /**
     * Stores property values of dev-1 as an uplink's write does: its log entry, then the report with the entry's id
     * (report ids grow in the order of storing, like log ids).
     */
    private void store(Map<String, Object> values, long timestamp) throws Exception {
        long id = ++reportIds;
        List<Sql> statements = new ArrayList<>();
        statements.add(new LiveDevice("dev-1", Long.MAX_VALUE).insert("device_log",
                "id, ts, device_id, type, message_type, message_id, topic, raw, decoded, detail", id, timestamp, "dev-1", "UPLINK",
                "properties/report", "", "", "", "", ""));
        statements.addAll(devices.propertyInserts("dev-1", id, values, timestamp));
        fixture.storage.write(new AtomicWrite(statements, null), true).get(5, TimeUnit.SECONDS);
    }

    private long reportIds;

    @Test
    void storesLatestAndHistoryWithoutGoingBackInTime() throws Exception {
        // Verifies property storage: history keeps every value, latest keeps the newest by timestamp.
        fixture.product(false);
        devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        store(Map.of("temp", 20.5), 2000);
        store(Map.of("temp", 19.0), 1000);
        Map<String, PropertyValue> latest = devices.latestProperties("dev-1");
        assertThat(latest.get("temp").value()).isEqualTo(20.5);
        assertThat(devices.propertyHistory("dev-1", "temp", 10)).extracting(PropertyValue::value).containsExactly(20.5, 19.0);
        // reports in the same millisecond: the one stored last is the latest
        for (int i = 1; i <= 5; i++) {
            store(Map.of("temp", 30.0 + i), 3000);
        }
        assertThat(devices.latestProperties("dev-1").get("temp").value()).isEqualTo(35.0);
        assertThat(devices.propertyHistory("dev-1", "temp", 2)).extracting(PropertyValue::value).containsExactly(35.0, 34.0);
    }

    @Test
    void aPropertysHistoryIsTheReportsThatHoldItAtTheTopLevel() throws Exception {
        // Verifies the search over stored reports: a key of the same name inside another property's value is not the
        // property, LIKE's wildcards in an id are literal, and a history longer than one page of reports is walked.
        fixture.product(false);
        devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        store(Map.of("temp", 7), 2000);
        store(Map.of("cfg", Map.of("temp", 99)), 3000);
        store(Map.of("axb%", 1), 4000);
        store(Map.of("a_b%", 2), 1000);
        assertThat(devices.propertyHistory("dev-1", "temp", 10)).extracting(PropertyValue::value).containsExactly(7);
        assertThat(devices.propertyHistory("dev-1", "a_b%", 10)).extracting(PropertyValue::value).containsExactly(2);
        assertThat(devices.propertyHistory("dev-1", "cfg", 10)).extracting(PropertyValue::json).containsExactly("{\"temp\":99}");
        for (int i = 0; i < PropertyStore.PAGE + 50; i++) {
            store(Map.of("hum", i), 10_000 + i);
            store(Map.of("other", i), 10_000 + i);
        }
        assertThat(devices.propertyHistory("dev-1", "hum", 10_000)).hasSize(PropertyStore.PAGE + 50).first()
                .extracting(PropertyValue::value).isEqualTo(PropertyStore.PAGE + 49);
        assertThat(devices.propertyHistory("dev-1", "temp", 1)).extracting(PropertyValue::value).containsExactly(7);
    }

    @Test
    void importIsAllOrNothing() {
        // Verifies that one bad row refuses the whole file and names every bad line.
        fixture.product(false);
        devices.createDevice(new NewDevice("taken", "p1", null, null));
        String csv = "id,name,secret\nd1,One,\nd2,Two,short\nd1,Again,\nbad id,,\n";
        assertThatThrownBy(() -> devices.importDevices("p1", csv, ImportFormat.CSV))
                .hasMessageContaining("line 3: device secret must be 8 to 128")
                .hasMessageContaining("line 4: device d1 appears twice")
                .hasMessageContaining("line 5: device id 'bad id'");
        assertThat(devices.listDevices("p1")).hasSize(1);
        assertThatThrownBy(() -> devices.importDevices("p1", "id\nd1\ntaken\n", ImportFormat.CSV))
                .hasMessageContaining("device taken already exists");
        assertThat(devices.listDevices("p1")).hasSize(1);
        List<CreatedDevice> created = devices.importDevices("p1", "[{\"id\":\"j1\"},{\"id\":\"j2\",\"secret\":\"abcdefgh\"}]",
                ImportFormat.JSON);
        assertThat(created).extracting(CreatedDevice::secret).element(1).isEqualTo("abcdefgh");
        assertThat(devices.listDevices("p1")).hasSize(3);
    }

    /** A progress call as heard: phase, done, total, and whether it came on the importing thread. */
    private record Heard(String phase, int done, int total, boolean onCaller) {
    }

    private static String csv(int rows, String... extraIds) {
        StringBuilder out = new StringBuilder("id,name\n");
        for (int i = 0; i < rows; i++) {
            out.append(String.format("d%05d,Device %d", i, i)).append('\n');
        }
        for (String id : extraIds) {
            out.append(id).append(",\n");
        }
        return out.toString();
    }

    /** A listener recording every call with the thread it came on. */
    private static ImportProgress recording(List<Heard> heard) {
        Thread caller = Thread.currentThread();
        return (phase, done, total) -> heard.add(new Heard(phase, done, total, Thread.currentThread() == caller));
    }

    @Test
    void importReportsProgressOfBothPhasesUpToTheTotal() {
        // Verifies that an import's progress is heard on the importing thread, phase checked then stored, each from 0
        // up to the total without going back and at most 1,000 rows apart, and that every device is then stored.
        // GIVEN a product and a file of 2,500 devices
        fixture.product(false);
        List<Heard> heard = new ArrayList<>();

        // WHEN it is imported with a listener
        List<CreatedDevice> created = devices.importDevices("p1", csv(2500), ImportFormat.CSV, recording(heard));

        // THEN each phase went 0 .. 2500 in growing steps of at most 1,000, on the caller's thread
        assertThat(created).hasSize(2500);
        assertThat(devices.listDevices("p1")).hasSize(2500);
        assertThat(heard).allMatch(Heard::onCaller).allMatch(h -> h.total() == 2500);
        assertThat(heard.stream().map(Heard::phase).distinct()).containsExactly(ImportProgress.CHECKED, ImportProgress.STORED);
        for (String phase : List.of(ImportProgress.CHECKED, ImportProgress.STORED)) {
            List<Integer> done = heard.stream().filter(h -> h.phase().equals(phase)).map(Heard::done).toList();
            assertThat(done).as(phase).startsWith(0).endsWith(2500).isSorted().doesNotHaveDuplicates();
            for (int i = 1; i < done.size(); i++) {
                assertThat(done.get(i) - done.get(i - 1)).as(phase + " step").isBetween(1, 1000);
            }
        }
    }

    @Test
    void aBadRowOrAnExistingDeviceImportsNothingWhereverTheProgressStopped() {
        // Verifies all or nothing with progress: a bad row ends the import after the checked phase (nothing stored,
        // no stored progress), a device that exists ends it in the stored phase after other rows were inserted in the
        // transaction, and neither leaves a device behind.
        // GIVEN a product with one device, and files of 2,500 devices with a bad row or that device at the end
        fixture.product(false);
        devices.createDevice(new NewDevice("taken", "p1", null, null));
        List<Heard> badRow = new ArrayList<>();
        List<Heard> existing = new ArrayList<>();

        // WHEN they are imported
        assertThatThrownBy(() -> devices.importDevices("p1", csv(2500, "bad id"), ImportFormat.CSV, recording(badRow)))
                .hasMessageContaining("line 2502: device id 'bad id'").hasMessageContaining("no device was imported");
        assertThatThrownBy(() -> devices.importDevices("p1", csv(2500, "taken"), ImportFormat.CSV, recording(existing)))
                .hasMessageContaining("device taken already exists").hasMessageContaining("no device was imported");

        // THEN the bad row stopped it after checking, the existing device after storing its chunk; nothing is stored
        assertThat(badRow).extracting(Heard::phase).containsOnly(ImportProgress.CHECKED);
        assertThat(badRow.get(badRow.size() - 1)).isEqualTo(new Heard(ImportProgress.CHECKED, 2501, 2501, true));
        assertThat(existing.get(existing.size() - 1)).isEqualTo(new Heard(ImportProgress.STORED, 2501, 2501, true));
        assertThat(devices.listDevices("p1")).extracting(Device::id).containsExactly("taken");
        assertThat(devices.findDevice("d00000")).isEmpty();
    }

    @Test
    void aListenerThatThrowsWhileStoringRollsTheImportBack() {
        // Verifies that what the listener throws in the stored phase, after rows were inserted in the transaction, is
        // what the import throws, and that nothing was stored.
        // GIVEN a product and a listener that refuses to go on once 1,000 devices are stored
        fixture.product(false);
        ImportProgress refusing = (phase, done, total) -> {
            if (phase.equals(ImportProgress.STORED) && done >= 1000) {
                throw new IllegalStateException("stop");
            }
        };

        // WHEN 2,500 devices are imported
        assertThatThrownBy(() -> devices.importDevices("p1", csv(2500), ImportFormat.CSV, refusing))
                .isInstanceOf(IllegalStateException.class).hasMessage("stop");

        // THEN none is stored, and the next import of the same file succeeds
        assertThat(devices.listDevices("p1")).isEmpty();
        assertThat(devices.importDevices("p1", csv(2500), ImportFormat.CSV)).hasSize(2500);
    }

    @Test
    void dynamicRegistrationReturnsTheSameSecretUntilFirstConnection() {
        // Verifies the registration rules of the official protocol.
        fixture.product(true);
        String first = devices.register("p1", "auto-1");
        assertThat(devices.register("p1", "auto-1")).isEqualTo(first);
        devices.markOnline("auto-1", 1000).join();
        assertThatThrownBy(() -> devices.register("p1", "auto-1")).hasMessageContaining("already connected");
        products.createProduct(new NewProduct("p2", null, null, null, false, ThingModel.EMPTY));
        assertThatThrownBy(() -> devices.register("p2", "auto-2")).hasMessageContaining("does not allow dynamic registration");
    }

    @Test
    void stateAndLogArePersisted() throws Exception {
        // Verifies online/offline bookkeeping and that log entries reach followers after commit.
        fixture.product(false);
        devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        DeviceLogServiceImpl log = fixture.log;
        List<Object> followed = new CopyOnWriteArrayList<>();
        try (AutoCloseable f = log.follow("dev-1", followed::add)) {
            devices.markOnline("dev-1", 1000).get(5, TimeUnit.SECONDS);
            log.write(LogType.ONLINE, "dev-1", "p1", "online", "", "", "", "", "hello").get(5, TimeUnit.SECONDS);
            devices.markOffline("dev-1", 2000).get(5, TimeUnit.SECONDS);
            Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> followed.size() == 1);
        }
        fixture.restart();
        started();
        Device d = devices.getDevice("dev-1");
        assertThat(d.state().onlineCount()).isEqualTo(1);
        assertThat(d.state().firstOnline().toEpochMilli()).isEqualTo(1000);
        assertThat(d.state().online()).isFalse();
        assertThat(fixture.log.recent("dev-1", 10)).extracting(e -> e.detail()).containsExactly("hello");
    }

    @Test
    void oneBadWriteFailsAloneInABatch() throws Exception {
        // Verifies that the batched writer isolates a failing write from the others in its batch.
        fixture.product(false);
        devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        CompletableFuture<Void> good1 = fixture.storage.append(INSERT_REPORT, 1L, "dev-1", 1L, "{\"temp\":1}");
        CompletableFuture<Void> bad = fixture.storage.append(INSERT_REPORT, 2L, "dev-1", 2L, null);
        CompletableFuture<Void> good2 = fixture.storage.append(INSERT_REPORT, 3L, "dev-1", 3L, "{\"temp\":3}");
        good1.get(5, TimeUnit.SECONDS);
        good2.get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(devices.propertyHistory("dev-1", "temp", 10)).hasSize(2);
    }
}
