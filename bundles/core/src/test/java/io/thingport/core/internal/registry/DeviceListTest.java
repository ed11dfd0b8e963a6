package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.Device;
import io.thingport.api.device.DevicePage;
import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceStatus;
import io.thingport.api.device.ImportFormat;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.NodeType;
import io.thingport.api.device.ProductOptions;
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.storage.Dialect;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.TestDatabase;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The device list (filters, pages, counts), tags and MAC addresses on H2 and PostgreSQL. */
@Tag("storage")
class DeviceListTest {
    private RegistryFixture fixture;
    private DeviceServiceImpl devices;

    @BeforeEach
    void setUp() {
        fixture = new RegistryFixture();
        devices = fixture.devices;
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /**
     * Products p1 and p2; in p1 a1 online, a2 offline, a3 never connected, a4 disabled (after being online), tagged; in
     * p2 b1 online and b2 never connected.
     */
    private void sample() {
        fixture.product(false);
        fixture.products.createProduct(new NewProduct("p2", null, null, null, false, ThingModel.EMPTY));
        for (String id : List.of("a1", "a2", "a3", "a4")) {
            devices.createDevice(new NewDevice(id, "p1", null, null));
        }
        devices.createDevice(new NewDevice("b1", "p2", null, null, "00-11-22-33-44-55"));
        devices.createDevice(new NewDevice("b2", "p2", null, null));
        for (String id : List.of("a1", "a2", "a4", "b1")) {
            devices.markOnline(id, 1000).join();
        }
        devices.markOffline("a2", 2000).join();
        devices.markOffline("a4", 2000).join();
        devices.setEnabled("a4", false);
        devices.setTags("a1", Map.of("room", "1", "floor", "2"));
        devices.setTags("a2", Map.of("room", "1"));
        devices.setTags("b1", Map.of("room", "1", "floor", "2"));
    }

    private List<String> ids(DeviceQuery q) {
        return devices.queryDevices(q).devices().stream().map(Device::id).toList();
    }

    private static DeviceQuery q(Set<String> products, DeviceStatus status, Map<String, String> tags, String prefix) {
        return new DeviceQuery(products, status, tags, prefix, null, 100);
    }

    @Test
    void eachFilterSelectsItsDevicesInIdOrder() {
        // Verifies every filter alone and together: products, each status, tags (all must match), the id prefix.
        // GIVEN
        sample();
        // WHEN / THEN
        assertThat(ids(q(null, null, null, null))).containsExactly("a1", "a2", "a3", "a4", "b1", "b2");
        assertThat(ids(q(Set.of("p2"), null, null, null))).containsExactly("b1", "b2");
        assertThat(ids(q(Set.of("p1", "p2"), null, null, null))).containsExactly("a1", "a2", "a3", "a4", "b1", "b2");
        assertThat(ids(q(null, DeviceStatus.ONLINE, null, null))).containsExactly("a1", "b1");
        assertThat(ids(q(null, DeviceStatus.OFFLINE, null, null))).containsExactly("a2");
        assertThat(ids(q(null, DeviceStatus.NEVER_CONNECTED, null, null))).containsExactly("a3", "b2");
        assertThat(ids(q(null, DeviceStatus.DISABLED, null, null))).containsExactly("a4");
        assertThat(ids(q(Set.of("p1"), DeviceStatus.ONLINE, null, null))).containsExactly("a1");
        assertThat(ids(q(Set.of("p1"), DeviceStatus.DISABLED, null, null))).containsExactly("a4");
        assertThat(ids(q(null, null, Map.of("room", "1"), null))).containsExactly("a1", "a2", "b1");
        assertThat(ids(q(null, null, Map.of("room", "1", "floor", "2"), null))).containsExactly("a1", "b1");
        assertThat(ids(q(Set.of("p1"), DeviceStatus.ONLINE, Map.of("room", "1", "floor", "2"), null))).containsExactly("a1");
        assertThat(ids(q(null, null, Map.of("room", "2"), null))).isEmpty();
        assertThat(ids(q(null, null, null, "b"))).containsExactly("b1", "b2");
        assertThat(ids(q(null, null, null, "a_"))).isEmpty();
        // the list shows the seed's columns
        Device b1 = devices.queryDevices(q(Set.of("p2"), DeviceStatus.ONLINE, null, null)).devices().get(0);
        assertThat(b1.mac()).isEqualTo("00:11:22:33:44:55");
        assertThat(b1.tags()).containsExactly(Map.entry("floor", "2"), Map.entry("room", "1"));
        assertThat(b1.state().onlineCount()).isEqualTo(1);
        assertThat(b1.state().firstOnline()).isNotNull();
        assertThat(b1.status()).isEqualTo(DeviceStatus.ONLINE);
    }

    @Test
    void aGatewaysSubDevicesAreListedAndCountedWithTheOtherFilters() {
        // Verifies the gateway filter: only the gateway's sub-devices, in id order, page by page, with tags and status,
        // and in the counts.
        // GIVEN a1, a2 and b1 sub-devices of gateway gw (of a gateway product)
        sample();
        fixture.products.createProduct(new NewProduct("hub", null, null, null, false, ThingModel.EMPTY, null, null,
                ProductOptions.DEFAULTS.withNode(NodeType.GATEWAY)));
        devices.createDevice(new NewDevice("gw", "hub", null, null));
        TopologyStore topology = devices.topology();
        for (String child : List.of("b1", "a2", "a1")) {
            topology.bind("gw", child, 1);
        }
        // WHEN / THEN
        assertThat(ids(new DeviceQuery(null, null, null, null, "gw", null, 100))).containsExactly("a1", "a2", "b1");
        assertThat(ids(new DeviceQuery(null, null, Map.of("floor", "2"), null, "gw", null, 100))).containsExactly("a1", "b1");
        assertThat(ids(new DeviceQuery(Set.of("p1"), DeviceStatus.OFFLINE, null, null, "gw", null, 100))).containsExactly("a2");
        DevicePage first = devices.queryDevices(new DeviceQuery(null, null, null, null, "gw", null, 2));
        assertThat(first.devices()).extracting(Device::id).containsExactly("a1", "a2");
        assertThat(ids(new DeviceQuery(null, null, null, null, "gw", first.next(), 2))).containsExactly("b1");
        assertThat(devices.countByStatus(new DeviceQuery(null, null, null, null, "gw", null, 1)))
                .containsEntry(DeviceStatus.ONLINE, 2L).containsEntry(DeviceStatus.OFFLINE, 1L).containsEntry(DeviceStatus.DISABLED, 0L);
        assertThat(ids(new DeviceQuery(null, null, null, null, "a3", null, 100))).isEmpty();
    }

    @Test
    void pagesFollowTheirCursorToTheEndWithoutGapsOrRepeats() {
        // Verifies paging by cursor for each walk (all, a product, a status, a tag): every device once, in order, and no
        // cursor after the last page; the counts per status add up to the devices of the filter.
        // GIVEN
        sample();
        // WHEN / THEN
        for (DeviceQuery query : List.of(q(null, null, null, null), q(Set.of("p1"), null, null, null),
                q(null, DeviceStatus.NEVER_CONNECTED, null, null), q(null, null, Map.of("room", "1"), null))) {
            List<String> all = ids(query);
            List<String> paged = new ArrayList<>();
            DeviceQuery page = new DeviceQuery(query.productIds(), query.status(), query.tags(), null, null, 1);
            int pages = 0;
            do {
                DevicePage p = devices.queryDevices(page);
                p.devices().forEach(d -> paged.add(d.id()));
                page = p.next() == null ? null : page.withCursor(p.next());
                pages++;
            } while (page != null);
            assertThat(paged).as("pages of %s", query).isEqualTo(all);
            assertThat(pages).isEqualTo(all.size());
        }
        assertThat(devices.countByStatus(DeviceQuery.all(1))).containsExactlyInAnyOrderEntriesOf(Map.of(DeviceStatus.ONLINE, 2L,
                DeviceStatus.OFFLINE, 1L, DeviceStatus.NEVER_CONNECTED, 2L, DeviceStatus.DISABLED, 1L));
        assertThat(devices.countByStatus(q(Set.of("p1"), DeviceStatus.ONLINE, Map.of("room", "1"), null)))
                .containsExactlyInAnyOrderEntriesOf(Map.of(DeviceStatus.ONLINE, 1L, DeviceStatus.OFFLINE, 1L,
                        DeviceStatus.NEVER_CONNECTED, 0L, DeviceStatus.DISABLED, 0L));
        assertThatThrownBy(() -> devices.queryDevices(DeviceQuery.all(10).withCursor("nonsense")))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void tagsAreReplacedUpdatedAndDeletedWithTheirDeviceAndSurviveARestart() {
        // Verifies tags end to end: replaced whole, updated by key, refused whole when one is wrong (nothing applied),
        // kept across a restart, and deleted with the device.
        // GIVEN
        sample();
        // WHEN
        devices.updateTags("a1", Map.of("room", "7", "zone", "north"), Set.of("floor"));
        // THEN
        assertThat(devices.getDevice("a1").tags()).containsExactly(Map.entry("room", "7"), Map.entry("zone", "north"));
        assertThatThrownBy(() -> devices.updateTags("a1", Map.of("ok", "1", "bad key", "2"), Set.of()))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        Map<String, String> many = new HashMap<>();
        IntStream.range(0, 33).forEach(i -> many.put("t" + i, ""));
        assertThatThrownBy(() -> devices.setTags("a1", many)).hasMessageContaining("33 tags are too many");
        assertThatThrownBy(() -> devices.setTags("nobody", Map.of())).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        fixture.restart();
        devices = fixture.devices;
        assertThat(devices.getDevice("a1").tags()).containsExactly(Map.entry("room", "7"), Map.entry("zone", "north"));
        assertThat(ids(q(null, null, Map.of("zone", "north"), null))).containsExactly("a1");
        assertThat(devices.setTags("a1", Map.of()).tags()).isEmpty();
        devices.deleteDevice("b1");
        assertThat(fixture.storage.query("SELECT COUNT(*) FROM device_tag WHERE device_id = 'b1'", rs -> rs.getLong(1)))
                .containsExactly(0L);
    }

    @Test
    void concurrentTagUpdatesOfOneDeviceLoseNothing() throws Exception {
        // Verifies that tag updates racing on one device each keep the others' tags: every key set by 8 writers is there,
        // in the cache and in the database.
        // GIVEN a device and 8 writers, each adding its own 5 tags one at a time
        sample();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(pool.submit(() -> IntStream.range(0, 4).forEach(i -> devices.updateTags("a3",
                        Map.of("w" + writer + "k" + i, "v"), Set.of()))));
            }
            // WHEN they all ran
            for (Future<?> f : writers) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // THEN all 32 tags are kept
        assertThat(devices.getDevice("a3").tags()).hasSize(32);
        assertThat(fixture.storage.query("SELECT COUNT(*) FROM device_tag WHERE device_id = 'a3'", rs -> rs.getLong(1)))
                .containsExactly(32L);
    }

    @Test
    void aMacIsSetImportedAndReportedAndAlwaysStoredInOneForm() {
        // Verifies the MAC address: set and cleared by an operator, refused when malformed, imported from CSV and JSON
        // (a bad one refuses the import, naming the row), and replaced by the device's report of the property "mac" when
        // the report's log entry was stored (a resend stores nothing).
        // GIVEN
        sample();
        // WHEN / THEN
        assertThat(devices.setMac("a1", "AABB.CCDD.EEFF").mac()).isEqualTo("aa:bb:cc:dd:ee:ff");
        assertThatThrownBy(() -> devices.setMac("a1", "aa:bb")).hasMessageContaining("mac 'aa:bb' is not a MAC address");
        assertThatThrownBy(() -> devices.createDevice(new NewDevice("c1", "p1", null, null, "zz")))
                .hasMessageContaining("mac 'zz' is not a MAC address");
        assertThat(devices.findDevice("c1")).isEmpty();
        devices.importDevices("p1", "id,mac\nc1,AA-00-00-00-00-01\nc2,\n", ImportFormat.CSV);
        devices.importDevices("p1", "[{\"id\":\"c3\",\"mac\":\"aa0000000003\"}]", ImportFormat.JSON);
        assertThatThrownBy(() -> devices.importDevices("p1", "id,mac\nc4,nope\n", ImportFormat.CSV))
                .hasMessageContaining("line 2: mac 'nope' is not a MAC address");
        // the uplink's writes after its log entry 1; a resent uplink (its log entry not inserted) changes nothing
        List<Sql> writes = devices.propertyInserts("a2", 1, Map.of("mac", "AA:00:00:00:00:02"), 3000);
        List<Sql> resent = devices.propertyInserts("a3", 2, Map.of("mac", "AA:00:00:00:00:03"), 3000);
        fixture.storage.transaction(c -> {
            Storage.update(c, "INSERT INTO device_log (id, ts, device_id, product_id, type, message_type, message_id, topic, raw,"
                    + " decoded, detail) VALUES (1, 3000, 'a2', 'p1', 'UPLINK', 'properties/report', 'm1', '', '', '', '')");
            for (Sql w : writes) {
                Storage.update(c, w.text(), w.params());
            }
            for (Sql w : resent) {
                Storage.update(c, w.text(), w.params());
            }
            return null;
        });
        // a report of the same address writes nothing more
        assertThat(devices.propertyInserts("a2", 2, Map.of("mac", "aa:00:00:00:00:02"), 4000)).hasSize(writes.size() - 1);
        fixture.restart();
        devices = fixture.devices;
        assertThat(devices.getDevice("a1").mac()).isEqualTo("aa:bb:cc:dd:ee:ff");
        assertThat(devices.getDevice("c1").mac()).isEqualTo("aa:00:00:00:00:01");
        assertThat(devices.getDevice("c2").mac()).isNull();
        assertThat(devices.getDevice("c3").mac()).isEqualTo("aa:00:00:00:00:03");
        assertThat(devices.getDevice("a2").mac()).isEqualTo("aa:00:00:00:00:02");
        assertThat(devices.getDevice("a3").mac()).isNull();
        assertThat(devices.findDevice("c4")).isEmpty();
        assertThat(devices.setMac("a1", null).mac()).isNull();
    }

    @Test
    void eachPageWalksAnIndexInIdOrderInsteadOfScanningAndSorting() {
        // Verifies the plans on 20,000 devices of 100 products, a quarter online, some disabled, every tenth tagged: a
        // page by product, status, both, or tag reads an index in the order it returns devices (no table scan, no sort);
        // a tag with a product and a status reads indexes only, driven from the tag or the device as the database finds
        // cheaper (from the device it sorts what matched).
        // GIVEN
        fixture.product(false);
        fixture.storage.transaction(c -> {
            for (int p = 0; p < 100; p++) {
                Storage.update(c, "INSERT INTO product (id, name, description, secret, dynamic_registration, thing_model, created_at)"
                        + " VALUES (?, ?, '', 's', FALSE, '{}', 0)", "q" + p, "q" + p);
            }
            List<Object[]> rows = new ArrayList<>();
            List<Object[]> tags = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                String id = String.format("d%05d", i);
                rows.add(new Object[] {id, "q" + i % 100, i % 50 != 0, i % 4 == 0, i % 3 == 0 ? null : 1000L});
                if (i % 10 == 0) {
                    tags.add(new Object[] {id, "room", String.valueOf(i % 1000)});
                }
            }
            Storage.updateBatch(c, "INSERT INTO device (id, product_id, name, secret, enabled, created_at, online, first_online,"
                    + " online_count) VALUES (?, ?, 'n', 's', ?, 0, ?, ?, 0)", rows);
            Storage.updateBatch(c, "INSERT INTO device_tag (device_id, tag_key, tag_value) VALUES (?, ?, ?)", tags);
            try (Statement st = c.createStatement()) {
                if (TestDatabase.dialect() == Dialect.H2) {
                    st.execute("ANALYZE");
                } else {
                    st.execute("ANALYZE device");
                    st.execute("ANALYZE device_tag");
                }
            }
            return null;
        });
        // WHEN / THEN
        for (DeviceQuery query : List.of(DeviceQuery.all(10), page(Set.of("q7"), null, null),
                page(null, DeviceStatus.ONLINE, null), page(null, DeviceStatus.NEVER_CONNECTED, null),
                page(null, DeviceStatus.DISABLED, null), page(Set.of("q7"), DeviceStatus.OFFLINE, null),
                page(null, null, Map.of("room", "70")))) {
            String plan = plan(query);
            if (TestDatabase.dialect() == Dialect.H2) {
                assertThat(plan).as("plan of %s", query).contains("/* index sorted */").doesNotContain("tableScan");
            } else {
                assertThat(plan).as("plan of %s", query).doesNotContain("Seq Scan").doesNotContain("Sort");
            }
        }
        assertThat(plan(page(Set.of("q70"), DeviceStatus.ONLINE, Map.of("room", "70")))).doesNotContain("tableScan")
                .doesNotContain("Seq Scan");
        assertThat(ids(q(null, null, Map.of("room", "70"), null))).hasSize(20).first().isEqualTo("d00070");
        assertThat(devices.countByStatus(DeviceQuery.all(1)).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000);
    }

    /** A page of 10, as a console shows: what the plans are tested with (a big page of a small set may sort it). */
    private static DeviceQuery page(Set<String> products, DeviceStatus status, Map<String, String> tags) {
        return new DeviceQuery(products, status, tags, null, null, 10);
    }

    private String plan(DeviceQuery query) {
        Sql sql = DeviceQueries.select(query, null);
        return fixture.storage.query("EXPLAIN " + sql.text(), rs -> rs.getString(1), sql.params()).stream()
                .collect(Collectors.joining("\n"));
    }
}
