package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.DeviceStatus;
import io.thingport.core.internal.storage.Sql;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The device list's rules as pure functions: MAC addresses, tags, statuses, queries and cursors. */
class DeviceListRulesTest {
    private static void assertInvalid(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(ThingportException.class).hasMessageContaining(message)
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void macAddressesAreReadInTheirUsualFormsAndStoredInOne() {
        // Verifies that every accepted form normalises to aa:bb:cc:dd:ee:ff and that anything else is refused by name.
        // GIVEN / WHEN / THEN
        for (String form : List.of("AA:BB:CC:0d:0e:0f", "aa-bb-cc-0d-0e-0f", "aabb.cc0d.0e0f", "AABBCC0D0E0F", " aa:bb:cc:0d:0e:0f ")) {
            assertThat(MacAddresses.normalise("mac", form)).as(form).isEqualTo("aa:bb:cc:0d:0e:0f");
        }
        assertThat(MacAddresses.normalise("mac", null)).isNull();
        assertThat(MacAddresses.normalise("mac", "")).isNull();
        for (String bad : List.of("aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "aa:bb-cc:dd:ee:ff", "gg:bb:cc:dd:ee:ff", "aabbccddeef",
                "aa:bb:cc:dd:ee:f", "aabb.ccdd.eeff.0011")) {
            assertInvalid(() -> MacAddresses.normalise("mac", bad), "mac '" + bad + "' is not a MAC address");
        }
        assertThat(MacAddresses.parse("not a mac")).isEmpty();
    }

    @Test
    void aReportedMacIsTheStringValueOfThePropertyMac() {
        // Verifies how a device reports its MAC: the property "mac" when its value is a MAC address, nothing otherwise.
        // GIVEN / WHEN / THEN
        assertThat(DeviceServiceImpl.reportedMac(Map.of("mac", "AA-BB-CC-DD-EE-FF", "temp", 1.5))).contains("aa:bb:cc:dd:ee:ff");
        assertThat(DeviceServiceImpl.reportedMac(Map.of("mac", "unknown"))).isEmpty();
        assertThat(DeviceServiceImpl.reportedMac(Map.of("mac", 42))).isEmpty();
        assertThat(DeviceServiceImpl.reportedMac(Map.of("temp", 1.5))).isEqualTo(Optional.empty());
    }

    @Test
    void tagsAreCheckedWholeAndRefusedWithTheRuleTheyBreak() {
        // Verifies every refusal of a tag: a key that is no identifier or too long, a value too long or with a control
        // character, too many tags, a key both set and removed; and what an update keeps.
        // GIVEN
        Map<String, String> max = new HashMap<>();
        IntStream.range(0, 32).forEach(i -> max.put("k" + i, "v"));
        // WHEN / THEN
        assertThat(DeviceTags.checked(Map.of("room", "2.14", "floor", ""))).containsExactly(Map.entry("floor", ""),
                Map.entry("room", "2.14"));
        assertThat(DeviceTags.checked(max)).hasSize(32);
        assertInvalid(() -> DeviceTags.check("1st", "x"), "tag key '1st' must be a letter followed by letters, digits and _");
        assertInvalid(() -> DeviceTags.check("a-b", "x"), "tag key 'a-b'");
        assertInvalid(() -> DeviceTags.check("", "x"), "a tag key is required");
        assertInvalid(() -> DeviceTags.check("k".repeat(65), "x"), "is longer than 64 characters");
        assertThat(DeviceTags.checked(Map.of("k".repeat(64), "v".repeat(256)))).hasSize(1);
        assertInvalid(() -> DeviceTags.check("k", "v".repeat(257)), "the value of tag k is longer than 256 characters");
        assertInvalid(() -> DeviceTags.check("k", "a\nb"), "the value of tag k contains a control character");
        max.put("one", "more");
        assertInvalid(() -> DeviceTags.checked(max), "33 tags are too many: a device carries at most 32");
        assertInvalid(() -> DeviceTags.updated(Map.of(), Map.of("a", "1"), Set.of("a")), "tag a cannot be both set and removed");
        assertThat(DeviceTags.updated(Map.of("a", "1", "b", "2"), Map.of("b", "3", "c", "4"), Set.of("a", "zz")))
                .containsExactly(Map.entry("b", "3"), Map.entry("c", "4"));
        assertInvalid(() -> DeviceTags.updated(Map.of(), Map.of("b c", "1"), Set.of()), "tag key 'b c'");
    }

    @Test
    void tagsAreWrittenKeyEqualsValue() {
        // Verifies the key=value form the shell and the API take: the value may be empty or hold '=', an '=' is required.
        // GIVEN / WHEN / THEN
        assertThat(DeviceQuery.parseTags(List.of("room=2.14", "empty=", "expr=a=b", "room=3")))
                .containsExactly(Map.entry("room", "3"), Map.entry("empty", ""), Map.entry("expr", "a=b"));
        assertInvalid(() -> DeviceQuery.parseTags(List.of("room")), "tag 'room' must be written key=value");
    }

    @Test
    void everyDeviceHasOneStatusAndStatusesAreNamedAsUsersTypeThem() {
        // Verifies the status set: disabled wins, then online, then whether the device ever connected; names parse in any
        // case with - or _, anything else is refused with the list of statuses.
        // GIVEN
        DeviceState online = new DeviceState(true, Instant.EPOCH, 1, Instant.EPOCH, null, "n");
        DeviceState offline = new DeviceState(false, Instant.EPOCH, 1, Instant.EPOCH, Instant.EPOCH, "n");
        // WHEN / THEN
        assertThat(DeviceStatus.of(true, online)).isEqualTo(DeviceStatus.ONLINE);
        assertThat(DeviceStatus.of(true, offline)).isEqualTo(DeviceStatus.OFFLINE);
        assertThat(DeviceStatus.of(true, DeviceState.NEVER_ONLINE)).isEqualTo(DeviceStatus.NEVER_CONNECTED);
        assertThat(DeviceStatus.of(false, online)).isEqualTo(DeviceStatus.DISABLED);
        assertThat(DeviceStatus.parse("Never-Connected")).isEqualTo(DeviceStatus.NEVER_CONNECTED);
        assertThat(DeviceStatus.parse("never_connected")).isEqualTo(DeviceStatus.NEVER_CONNECTED);
        assertThat(DeviceStatus.NEVER_CONNECTED.label()).isEqualTo("never-connected");
        assertInvalid(() -> DeviceStatus.parse("sleeping"),
                "status 'sleeping' is not a device status: it is one of online, offline, never-connected, disabled");
        assertInvalid(() -> DeviceStatus.parse(null), "status 'null'");
    }

    @Test
    void aQueryIsRefusedForABadLimitCursorTagOrPrefix() {
        // Verifies every refusal of a query before it reaches the database, and that a cursor this code issued comes back
        // as the id it was made from.
        // GIVEN
        DeviceQuery ok = DeviceQuery.all(10);
        // WHEN / THEN
        assertThat(DeviceQueries.checked(ok)).isNull();
        assertThat(DeviceQueries.checked(ok.withCursor(DeviceQueries.cursor("dev-7")))).isEqualTo("dev-7");
        assertInvalid(() -> DeviceQueries.checked(DeviceQuery.all(0)), "limit 0 is out of range: it must be from 1 to 1000");
        assertInvalid(() -> DeviceQueries.checked(DeviceQuery.all(1001)), "limit 1001 is out of range");
        for (String bad : List.of("!!!", "ZGV2LTc", "ZGV2aWNlOg", "ZGV2aWNlOmEvYg")) { // not base64; dev-7; device:; device:a/b
            assertInvalid(() -> DeviceQueries.checked(ok.withCursor(bad)), "cursor '" + bad + "' is not one a device list issued");
        }
        assertInvalid(() -> DeviceQueries.checked(new DeviceQuery(null, null, Map.of("bad key", "x"), null, null, 10)),
                "tag key 'bad key'");
        assertInvalid(() -> DeviceQueries.checked(new DeviceQuery(null, null, null, "x".repeat(65), null, 10)),
                "is longer than a device id");
    }

    @Test
    void aQueryWalksTheIndexOfItsFilters() {
        // Verifies which index order each query names (the plans themselves are tested on each database), that LIKE
        // wildcards in a prefix are escaped and that a page reads one device more than its limit.
        // GIVEN / WHEN
        Sql byProduct = DeviceQueries.select(new DeviceQuery(Set.of("p1"), null, null, null, null, 10), null);
        Sql online = DeviceQueries.select(new DeviceQuery(null, DeviceStatus.ONLINE, null, null, null, 10), "d5");
        Sql disabled = DeviceQueries.select(new DeviceQuery(null, DeviceStatus.DISABLED, null, null, null, 10), null);
        Sql tagged = DeviceQueries.select(new DeviceQuery(Set.of("p1"), DeviceStatus.OFFLINE, Map.of("a", "1", "b", "2"), "x_%",
                null, 5), "d5");
        // THEN
        assertThat(byProduct.text()).contains("WHERE d.id > ? AND d.product_id = ?").endsWith("ORDER BY d.product_id, d.id LIMIT 11");
        assertThat(online.text()).contains("d.online = TRUE AND d.enabled = TRUE", "d.id > ?").endsWith("ORDER BY d.online, d.id LIMIT 11");
        assertThat(disabled.text()).contains("d.enabled = FALSE").endsWith("ORDER BY d.enabled, d.id LIMIT 11");
        assertThat(tagged.text()).contains("FROM device_tag t0 JOIN device d", "t0.device_id > ?", "EXISTS (SELECT 1 FROM device_tag t")
                .endsWith("ORDER BY t0.tag_key, t0.tag_value, t0.device_id LIMIT 6");
        assertThat(tagged.params()).containsExactly("a", "1", "d5", "p1", "b", "2", "x!_!%%");
        assertThat(byProduct.params()).containsExactly("", "p1");
    }
}
