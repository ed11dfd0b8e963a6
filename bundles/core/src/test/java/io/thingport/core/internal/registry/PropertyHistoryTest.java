package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.PropertyBucket;
import io.thingport.api.device.PropertyPage;
import io.thingport.api.device.PropertyValue;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.storage.Dialect;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.TestDatabase;
import io.thingport.core.internal.storage.TimeRange;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A property's history by time range in pages, and its downsampled series, on H2 and PostgreSQL. */
@Tag("storage")
class PropertyHistoryTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private RegistryFixture fixture;
    private DeviceServiceImpl devices;
    private long ids;

    @BeforeEach
    void setUp() {
        fixture = new RegistryFixture();
        devices = fixture.devices;
        fixture.product(false);
        devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        devices.createDevice(new NewDevice("dev-2", "p1", null, null));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /** A report to store: its time (milliseconds after T0) and values. */
    private record Report(String deviceId, long atMs, Map<String, Object> values) {
    }

    /** Stores reports as they are (one transaction), each with the next id: ids grow in the order of storing. */
    private void store(List<Report> reports) {
        fixture.storage.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO property_report (id, device_id, ts, properties)"
                    + " VALUES (?, ?, ?, ?)")) {
                for (Report r : reports) {
                    ps.setLong(1, ++ids);
                    ps.setString(2, r.deviceId());
                    ps.setLong(3, T0.toEpochMilli() + r.atMs());
                    ps.setString(4, Json.write(r.values()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static Report temp(long atMs, Object value) {
        return new Report("dev-1", atMs, Map.of("temp", value));
    }

    /** Every page of a history, each of at most {@code limit} values. */
    private List<PropertyPage> pages(String property, Instant from, Instant to, int limit) {
        List<PropertyPage> pages = new ArrayList<>();
        String cursor = null;
        do {
            PropertyPage page = devices.propertyHistory("dev-1", property, from, to, cursor, limit);
            pages.add(page);
            cursor = page.next();
        } while (cursor != null && pages.size() < 1000);
        return pages;
    }

    private static List<Object> values(List<PropertyPage> pages) {
        return pages.stream().flatMap(p -> p.values().stream()).map(PropertyValue::value).toList();
    }

    @Test
    void pagesGoFromNewestToOldestWithoutDuplicatesOrGaps() {
        // Verifies paging with the cursor across reports that share a millisecond (ties broken by report id), across
        // the store's reads of 500 reports, skipping reports without the property or with it only inside a value.
        // GIVEN 1,200 values of temp, three per millisecond, among reports of other properties and another device's
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            reports.add(temp(i / 3, i));
            if (i % 4 == 0) {
                reports.add(new Report("dev-1", i / 3, Map.of("hum", i)));
                reports.add(new Report("dev-1", i / 3, Map.of("cfg", Map.of("temp", -1))));
                reports.add(new Report("dev-2", i / 3, Map.of("temp", -2)));
            }
        }
        store(reports);
        // WHEN
        List<PropertyPage> pages = pages("temp", null, null, 7);
        // THEN
        List<Object> expected = new ArrayList<>();
        for (int i = 1199; i >= 0; i--) {
            expected.add(i);
        }
        assertThat(values(pages)).isEqualTo(expected);
        assertThat(pages).hasSize(172).allSatisfy(p -> assertThat(p.values()).hasSizeLessThanOrEqualTo(7));
        assertThat(pages.get(pages.size() - 1).next()).isNull();
        assertThat(values(pages("temp", null, null, 1000))).isEqualTo(expected);
        PropertyValue first = pages.get(0).values().get(0);
        assertThat(first).isEqualTo(new PropertyValue("dev-1", "temp", 1199, "1199", T0.plusMillis(399)));
        // the older method is the same walk: its newest values, up to 10,000 of them
        assertThat(devices.propertyHistory("dev-1", "temp", 1100)).extracting(PropertyValue::value).isEqualTo(expected.subList(0, 1100));
        assertThat(devices.propertyHistory("dev-1", "temp", 0)).extracting(PropertyValue::value).containsExactly(1199);
    }

    @Test
    void fromIsInclusiveAndToExclusive() {
        // Verifies the range, alone at either end and together, and that an empty history is one page with no cursor.
        // GIVEN values at 0, 10, 20, 30 and 40 ms
        store(List.of(temp(0, 0), temp(10, 10), temp(20, 20), temp(30, 30), temp(40, 40)));
        // WHEN / THEN
        assertThat(values(pages("temp", T0.plusMillis(10), T0.plusMillis(30), 2))).containsExactly(20, 10);
        assertThat(values(pages("temp", T0.plusMillis(30), null, 2))).containsExactly(40, 30);
        assertThat(values(pages("temp", null, T0.plusMillis(10), 2))).containsExactly(0);
        assertThat(values(pages("temp", T0.plusNanos(1), T0.plusMillis(10).plusNanos(1), 5))).containsExactly(10);
        assertThat(pages("temp", T0.plusMillis(41), null, 5)).singleElement()
                .satisfies(p -> assertThat(p.values()).isEmpty()).satisfies(p -> assertThat(p.next()).isNull());
        assertThat(pages("nothing", null, null, 5)).singleElement().satisfies(p -> assertThat(p.next()).isNull());
    }

    @Test
    void aPageReadsABoundedNumberOfReportsAndSaysWhereToGoOn() {
        // Verifies that a property missing from many reports does not make one call read them all: a page stops after
        // PAGE_SCAN reports, with the values it found (none here) and a cursor; the next pages go on to the end.
        // GIVEN one old value, then 2.5 pages' worth of reports without it
        List<Report> reports = new ArrayList<>(List.of(temp(0, 1)));
        for (int i = 1; i <= PropertyStore.PAGE_SCAN * 5 / 2; i++) {
            reports.add(new Report("dev-1", i, Map.of("hum", i)));
        }
        store(reports);
        // WHEN
        List<PropertyPage> pages = pages("temp", null, null, 10);
        // THEN
        assertThat(pages).hasSize(3);
        assertThat(pages.get(0).values()).isEmpty();
        assertThat(pages.get(0).next()).isNotNull();
        assertThat(pages.get(1).values()).isEmpty();
        assertThat(pages.get(2).values()).extracting(PropertyValue::value).containsExactly(1);
        assertThat(pages.get(2).next()).isNull();
        assertThat(devices.latestProperties("dev-1").get("temp").value()).isEqualTo(1);
    }

    @Test
    void refusesBadArgumentsAndCursorsOfOtherQueries() {
        // Verifies NOT_FOUND for an unknown device and INVALID_ARGUMENT for limits, ranges and cursors, never a
        // failure of the platform.
        // GIVEN a cursor issued for the first page of temp
        store(List.of(temp(0, 0), temp(1, 1), temp(2, 2), temp(3, 3), temp(4, 4)));
        String cursor = devices.propertyHistory("dev-1", "temp", null, null, null, 2).next();
        assertThat(cursor).isNotNull();
        // WHEN / THEN
        assertThat(devices.propertyHistory("dev-1", "temp", null, null, cursor, 2).values()).extracting(PropertyValue::value)
                .containsExactly(2, 1);
        assertThatThrownBy(() -> devices.propertyHistory("nope", "temp", null, null, null, 10))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessage("device nope does not exist");
        assertInvalid(() -> devices.propertyHistory("dev-1", "temp", null, null, null, 0), "limit 0 is out of range");
        assertInvalid(() -> devices.propertyHistory("dev-1", "temp", null, null, null, 1001), "limit 1001 is out of range");
        assertInvalid(() -> devices.propertyHistory("dev-1", "temp", T0, T0, null, 10), "must be before to");
        assertInvalid(() -> devices.propertyHistory("dev-1", "temp", T0.plusMillis(1), T0, null, 10), "must be before to");
        assertInvalid(() -> devices.propertyHistory("dev-1", null, null, null, null, 10), "property id");
        for (String bad : List.of("garbage!", "", cursor.substring(1), cursor + "x")) {
            assertInvalid(() -> devices.propertyHistory("dev-1", "temp", null, null, bad, 2), "is not one this platform issued");
        }
        assertInvalid(() -> devices.propertyHistory("dev-2", "temp", null, null, cursor, 2), "is not one this platform issued");
        assertInvalid(() -> devices.propertyHistory("dev-1", "hum", null, null, cursor, 2), "is not one this platform issued");
        assertInvalid(() -> devices.propertyHistory("dev-1", "temp", T0, null, cursor, 2), "is not one this platform issued");
    }

    @Test
    void aSeriesHasOneBucketPerIntervalWithValuesOldestFirst() {
        // Verifies numeric buckets (count, min, max, avg, last), buckets aligned to from, empty ones left out, values
        // outside [from, to) and reports without the property ignored.
        // GIVEN values of temp in the first, second and fourth minute after T0, one just before and one at the end
        store(List.of(temp(-1, 99.0), temp(0, 20.0), temp(15_000, 22.0), temp(59_999, 21.0), temp(60_000, 18.5),
                new Report("dev-1", 61_000, Map.of("hum", 40)), temp(180_000, 30), temp(240_000, 50.0)));
        // WHEN
        List<PropertyBucket> series = devices.propertySeries("dev-1", "temp", T0, T0.plus(Duration.ofMinutes(4)), Duration.ofMinutes(1));
        // THEN
        assertThat(series).containsExactly(
                new PropertyBucket(T0, 3, 20.0, 22.0, 21.0, 21.0),
                new PropertyBucket(T0.plus(Duration.ofMinutes(1)), 1, 18.5, 18.5, 18.5, 18.5),
                new PropertyBucket(T0.plus(Duration.ofMinutes(3)), 1, 30.0, 30.0, 30.0, 30));
        assertThat(devices.propertySeries("dev-1", "hum", T0.plusSeconds(30), T0.plusSeconds(90), Duration.ofMinutes(1)))
                .containsExactly(new PropertyBucket(T0.plusSeconds(30), 1, 40.0, 40.0, 40.0, 40));
        assertThat(devices.propertySeries("dev-1", "nothing", T0, T0.plusSeconds(60), Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void aSeriesOfTextGivesCountAndLastOnly() {
        // Verifies a string property: no numeric statistics, the newest value of each bucket as its last.
        // GIVEN
        store(List.of(new Report("dev-1", 0, Map.of("mode", "idle")), new Report("dev-1", 500, Map.of("mode", "busy")),
                new Report("dev-1", 500, Map.of("mode", "eco")), new Report("dev-1", 1500, Map.of("mode", "off"))));
        // WHEN
        List<PropertyBucket> series = devices.propertySeries("dev-1", "mode", T0, T0.plusSeconds(2), Duration.ofSeconds(1));
        // THEN
        assertThat(series).containsExactly(new PropertyBucket(T0, 3, null, null, null, "eco"),
                new PropertyBucket(T0.plusSeconds(1), 1, null, null, null, "off"));
    }

    @Test
    void aSeriesIsBoundedInBucketsAndInReports() {
        // Verifies INVALID_ARGUMENT for a range or interval the series cannot have, NOT_FOUND for an unknown device, and
        // TOO_LARGE when the range holds more reports than the bound (counted, whether they hold the property or not).
        // GIVEN 30 reports in the first 30 ms, 10 of them of temp
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            reports.add(i % 3 == 0 ? temp(i, i) : new Report("dev-1", i, Map.of("hum", i)));
        }
        store(reports);
        Buckets buckets = Buckets.over(T0, T0.plusMillis(30), Duration.ofMillis(10));
        PropertyStore store = new PropertyStore(fixture.storage);
        // WHEN / THEN
        store.fold("dev-1", "temp", buckets, 30);
        assertThat(buckets.result()).extracting(PropertyBucket::count).containsExactly(4L, 3L, 3L);
        assertThatThrownBy(() -> store.fold("dev-1", "temp", Buckets.over(T0, T0.plusMillis(30), Duration.ofMillis(10)), 29))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE))
                .hasMessageContaining("device dev-1 has more than 29 property reports from 2026-12-03T10:00:00Z");
        assertInvalid(() -> devices.propertySeries("dev-1", "temp", null, T0, Duration.ofMinutes(1)), "needs both from and to");
        assertInvalid(() -> devices.propertySeries("dev-1", "temp", T0, null, Duration.ofMinutes(1)), "needs both from and to");
        assertInvalid(() -> devices.propertySeries("dev-1", "temp", T0, T0.plusSeconds(60), Duration.ZERO), "positive");
        assertInvalid(() -> devices.propertySeries("dev-1", "temp", T0, T0.plusSeconds(DeviceService.MAX_BUCKETS + 1),
                Duration.ofSeconds(1)), "more than " + DeviceService.MAX_BUCKETS);
        assertThatThrownBy(() -> devices.propertySeries("nope", "temp", T0, T0.plusSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void aWalkGoesOnFromItsPositionInTheIndex() {
        // Verifies the plan of a walk's next read: the index range starts at the position (its time), so a page far
        // back in a long history costs what the first one does, instead of a walk from the newest report.
        // GIVEN
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            reports.add(new Report(i % 2 == 0 ? "dev-1" : "dev-2", i, Map.of("hum", i)));
        }
        store(reports);
        Sql reads = PropertyStore.reads("dev-1", "temp", TimeRange.of(T0, null), new ReportPosition(T0.toEpochMilli() + 1000, 1001),
                PropertyStore.PAGE);
        // WHEN
        String plan = fixture.storage.query("EXPLAIN " + reads.text(), rs -> rs.getString(1), reads.params()).stream()
                .collect(Collectors.joining("\n"));
        // THEN the index condition holds the position's time as an upper bound
        if (TestDatabase.dialect() == Dialect.H2) {
            assertThat(plan.substring(plan.indexOf("/*"), plan.indexOf("*/"))).contains("PROPERTY_REPORT_DEVICE").contains("TS <=");
            assertThat(plan).contains("/* index sorted */");
        } else {
            assertThat(plan).containsPattern("Index Cond: .*ts <= ").doesNotContain("Sort");
        }
    }

    private static void assertInvalid(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ThingportException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT)).hasMessageContaining(message);
    }
}
