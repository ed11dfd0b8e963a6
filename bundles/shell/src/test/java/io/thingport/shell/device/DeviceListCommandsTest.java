package io.thingport.shell.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.device.Device;
import io.thingport.api.device.DevicePage;
import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.DeviceStatus;
import io.thingport.shell.support.Fakes;
import io.thingport.shell.support.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** iot:device-list with its filters, pages and counts, and the tag and MAC commands. */
class DeviceListCommandsTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    private static final Device ONLINE = new Device("dev-1", "thermo", "Kitchen", true, new DeviceState(true, T, 3, T, null, "n1"),
            T, "aa:bb:cc:dd:ee:ff", Map.of("room", "2.14", "floor", "2"));
    private static final Device NEVER = new Device("dev-2", "thermo", "dev-2", true, DeviceState.NEVER_ONLINE, T);
    private static final Map<DeviceStatus, Long> COUNTS = Map.of(DeviceStatus.ONLINE, 1L, DeviceStatus.OFFLINE, 0L,
            DeviceStatus.NEVER_CONNECTED, 1L, DeviceStatus.DISABLED, 0L);

    private final List<Object> calls = new ArrayList<>();

    private DeviceService service(String next) {
        return Fakes.service(DeviceService.class, Map.of(
                "queryDevices", args -> {
                    calls.add(args[0]);
                    return new DevicePage(List.of(ONLINE, NEVER), next);
                },
                "countByStatus", args -> {
                    calls.add("count " + args[0]);
                    return COUNTS;
                },
                "updateTags", args -> {
                    calls.add("tags " + args[0] + " " + args[1] + " " + args[2]);
                    return ONLINE;
                },
                "setMac", args -> {
                    calls.add("mac " + args[0] + " " + args[1]);
                    return NEVER;
                },
                "getDevice", args -> ONLINE));
    }

    @Test
    void listTurnsItsOptionsIntoOneQueryAndPrintsTheSeedsColumnsAPageLineAndCounts() throws Exception {
        // Verifies the query of --product, --status (any spelling), --tag (repeated), --prefix, --limit and --cursor, the
        // columns (MAC, status, first online, online count, last online, tags), the next page's cursor and the counts.
        // GIVEN
        DeviceListCommand command = new DeviceListCommand();
        command.devices = service("c2");
        command.productId = "thermo";
        command.status = "Never_Connected";
        command.tags = List.of("room=2.14", "floor=2");
        command.prefix = "dev";
        command.limit = 2;
        command.cursor = "c1";
        // WHEN
        String out = Fakes.output(command::execute);
        // THEN
        DeviceQuery expected = new DeviceQuery(Set.of("thermo"), DeviceStatus.NEVER_CONNECTED, Map.of("room", "2.14", "floor", "2"),
                "dev", "c1", 2);
        assertThat(calls).containsExactly(expected, "count " + expected);
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).contains("MAC", "Status", "First online", "Online count", "Last online", "Tags");
        assertThat(out).contains("aa:bb:cc:dd:ee:ff", "floor=2,room=2.14", "never-connected");
        assertThat(lines).contains("More: --cursor c2");
        assertThat(lines).last().isEqualTo("2 devices: 1 online, 0 offline, 1 never-connected, 0 disabled");
    }

    @Test
    void listWithoutFormatPrintsRowsOnly() throws Exception {
        // Verifies that --no-format prints one tab-separated row per device in the column order, no page or count line.
        // GIVEN
        DeviceListCommand command = new DeviceListCommand();
        command.devices = service(null);
        command.noFormat = true;
        // WHEN
        String out = Fakes.output(command::execute);
        // THEN
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).split("\t")).hasSize(9).startsWith("dev-1", "thermo", "Kitchen", "aa:bb:cc:dd:ee:ff", "online")
                .endsWith("3", lines.get(0).split("\t")[7], "floor=2,room=2.14");
        assertThat(lines.get(0).split("\t")[5]).isEqualTo(Values.time(T));
        assertThat(lines.get(1)).isEqualTo("dev-2\tthermo\tdev-2\t-\tnever-connected\t-\t0\t-\t-");
        assertThat(calls).containsExactly(DeviceQuery.all(100));
    }

    @Test
    void aBadStatusOrTagIsRefusedBeforeAnythingIsAsked() {
        // Verifies the refusals of the list's options: a status that does not exist, a tag without '='.
        // GIVEN
        DeviceListCommand command = new DeviceListCommand();
        command.devices = service(null);
        // WHEN / THEN
        command.status = "asleep";
        assertThatThrownBy(command::execute).hasMessageContaining("status 'asleep' is not a device status");
        command.status = null;
        command.tags = List.of("room");
        assertThatThrownBy(command::execute).hasMessageContaining("tag 'room' must be written key=value");
        assertThat(calls).isEmpty();
    }

    @Test
    void tagUntagAndMacAskTheServiceOnceAndPrintTheResult() throws Exception {
        // Verifies iot:device-tag (k=v pairs), iot:device-untag (keys) and iot:device-mac (set, clear, show, refused with
        // both).
        // GIVEN
        DeviceTagCommand tag = new DeviceTagCommand();
        tag.devices = service(null);
        tag.id = "dev-1";
        tag.tags = List.of("room=2.14", "note=");
        DeviceUntagCommand untag = new DeviceUntagCommand();
        untag.devices = tag.devices;
        untag.id = "dev-1";
        untag.keys = List.of("floor");
        DeviceMacCommand mac = new DeviceMacCommand();
        mac.devices = tag.devices;
        mac.id = "dev-2";
        // WHEN
        String tagged = Fakes.output(tag::execute);
        Fakes.output(untag::execute);
        mac.mac = "AA-BB-CC-DD-EE-FF";
        Fakes.output(mac::execute);
        mac.mac = null;
        mac.clear = true;
        Fakes.output(mac::execute);
        mac.clear = false;
        String shown = Fakes.output(mac::execute);
        // THEN
        assertThat(calls).containsExactly("tags dev-1 {room=2.14, note=} []", "tags dev-1 {} [floor]", "mac dev-2 AA-BB-CC-DD-EE-FF",
                "mac dev-2 null");
        assertThat(tagged).isEqualTo("Device dev-1 tags: floor=2,room=2.14" + System.lineSeparator());
        assertThat(shown).isEqualTo("Device dev-1 MAC: aa:bb:cc:dd:ee:ff" + System.lineSeparator());
        mac.mac = "aa";
        mac.clear = true;
        assertThatThrownBy(mac::execute).hasMessageContaining("give a MAC address or --clear, not both");
    }
}
