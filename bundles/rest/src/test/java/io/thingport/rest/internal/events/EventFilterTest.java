package io.thingport.rest.internal.events;

import static io.thingport.rest.internal.events.FakeDeviceLog.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.access.Role;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.LogType;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.http.FieldException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFilterTest {
    private static final Caller ADMIN = new Caller("alice", Caller.USER, Role.ADMIN, Set.of());
    private static final Caller P1_ONLY = new Caller("app-1", Caller.APPLICATION, Role.VIEWER, Set.of("p1"));

    private static final DeviceLogEntry P1_D1_PROPERTY = entry(1, LogType.UPLINK, "properties/report", "p1", "d1");
    private static final DeviceLogEntry P1_D2_ONLINE = entry(2, LogType.ONLINE, "online", "p1", "d2");
    private static final DeviceLogEntry P2_D3_EVENT = entry(3, LogType.UPLINK, "event", "p2", "d3");
    private static final DeviceLogEntry P2_D3_COMMAND = entry(4, LogType.DOWNLINK, "function/invoke", "p2", "d3");
    private static final DeviceLogEntry AUTH_REFUSED = entry(5, LogType.AUTH_REFUSED, "", "p1", "d1");
    private static final List<DeviceLogEntry> ALL = List.of(P1_D1_PROPERTY, P1_D2_ONLINE, P2_D3_EVENT, P2_D3_COMMAND,
            AUTH_REFUSED);

    @Test
    void kindNamesMayBeRepeatedOrCommaSeparatedInAnyCase() {
        // Verifies the type parameter: repeated values and comma lists add up, case and blanks do not matter, empty
        // parts are skipped.
        // GIVEN type=property,ONLINE&type= event &type=,,
        // WHEN a filter is made of them
        EventFilter f = EventFilter.of(null, null, List.of("property,ONLINE", " event ", ",,", ""), ADMIN);

        // THEN it holds exactly those three kinds
        assertThat(f.kinds()).containsExactlyInAnyOrder(EventKind.PROPERTY, EventKind.ONLINE, EventKind.EVENT);
    }

    @Test
    void noKindsMeansEveryKind() {
        // Verifies that a filter without type carries every kind a stream carries, and nothing else.
        // GIVEN a filter without kinds, product or device
        EventFilter f = EventFilter.of(null, null, List.of(), ADMIN);

        // WHEN every entry is tried
        List<DeviceLogEntry> passed = ALL.stream().filter(f::matches).toList();

        // THEN all but the refused login pass
        assertThat(f.kinds()).isEmpty();
        assertThat(passed).containsExactly(P1_D1_PROPERTY, P1_D2_ONLINE, P2_D3_EVENT, P2_D3_COMMAND);
    }

    @Test
    void anUnknownKindIsRefusedNamingItAndEveryKnownKind() {
        // Verifies that an unknown type is a field error on "type" that names the bad value and every known kind.
        // GIVEN a list with one unknown name among known ones
        List<String> names = List.of("property", "online, temperature");

        // WHEN / THEN the filter is refused
        assertThatThrownBy(() -> EventFilter.of(null, null, names, ADMIN)).isInstanceOfSatisfying(FieldException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.field()).isEqualTo("type");
                    assertThat(e.getMessage()).endsWith("not temperature");
                    for (EventKind k : EventKind.values()) {
                        assertThat(e.getMessage()).contains(k.wireName());
                    }
                });
    }

    @Test
    void productAndDeviceNarrowTheEntries() {
        // Verifies the product and device parts, alone and together, and that blank ones mean any (trimmed otherwise).
        // GIVEN filters by product, by device, by both, and with blank values
        EventFilter byProduct = EventFilter.of(" p1 ", null, List.of(), ADMIN);
        EventFilter byDevice = EventFilter.of(null, "d3", List.of(), ADMIN);
        EventFilter both = EventFilter.of("p1", "d2", List.of(), ADMIN);
        EventFilter blank = EventFilter.of("  ", "", List.of(), ADMIN);

        // WHEN / THEN each passes the entries it names
        assertThat(byProduct.productId()).isEqualTo("p1");
        assertThat(ALL.stream().filter(byProduct::matches)).containsExactly(P1_D1_PROPERTY, P1_D2_ONLINE);
        assertThat(ALL.stream().filter(byDevice::matches)).containsExactly(P2_D3_EVENT, P2_D3_COMMAND);
        assertThat(ALL.stream().filter(both::matches)).containsExactly(P1_D2_ONLINE);
        assertThat(blank.productId()).isNull();
        assertThat(blank.deviceId()).isNull();
        assertThat(ALL.stream().filter(blank::matches)).hasSize(4);
    }

    @Test
    void kindsNarrowTheEntries() {
        // Verifies the kinds part: only entries of the selected kinds pass.
        // GIVEN a filter of commands and online events
        EventFilter f = EventFilter.of(null, null, List.of("command,online"), ADMIN);

        // WHEN / THEN only those pass
        assertThat(ALL.stream().filter(f::matches)).containsExactly(P1_D2_ONLINE, P2_D3_COMMAND);
    }

    @Test
    void aCallerSeesOnlyTheProductsItIsGranted() {
        // Verifies the caller's grants: a caller limited to p1 never sees p2's entries, whether the filter names no
        // product, names p2, or names p2's device.
        // GIVEN filters of a caller granted p1 only
        EventFilter any = EventFilter.of(null, null, List.of(), P1_ONLY);
        EventFilter p2 = EventFilter.of("p2", null, List.of(), P1_ONLY);
        EventFilter d3 = EventFilter.of(null, "d3", List.of(), P1_ONLY);

        // WHEN / THEN p2's entries never pass
        assertThat(ALL.stream().filter(any::matches)).containsExactly(P1_D1_PROPERTY, P1_D2_ONLINE);
        assertThat(ALL.stream().filter(p2::matches)).isEmpty();
        assertThat(ALL.stream().filter(d3::matches)).isEmpty();
    }

    @Test
    void anEntryWithoutProductPassesNoFilter() {
        // Verifies that an entry without a product (a device not yet known) passes no filter, even an admin's,
        // since its product grant cannot be checked.
        // GIVEN an online entry without product
        DeviceLogEntry orphan = entry(9, LogType.ONLINE, "online", null, "d9");

        // WHEN / THEN no filter passes it
        assertThat(EventFilter.of(null, null, List.of(), ADMIN).matches(orphan)).isFalse();
        assertThat(EventFilter.of(null, "d9", List.of(), ADMIN).matches(orphan)).isFalse();
    }

    @Test
    void theKindsAreCopied() {
        // Verifies that the record keeps its own copy of the kinds: changing the set given does not change it.
        // GIVEN a mutable set of kinds
        Set<EventKind> kinds = EnumSet.of(EventKind.PROPERTY);
        EventFilter f = new EventFilter(null, null, kinds, ADMIN);

        // WHEN the set is changed afterwards
        kinds.add(EventKind.ONLINE);

        // THEN the filter still holds only PROPERTY
        assertThat(f.kinds()).containsExactly(EventKind.PROPERTY);
        assertThat(f.matches(P1_D2_ONLINE)).isFalse();
    }
}
