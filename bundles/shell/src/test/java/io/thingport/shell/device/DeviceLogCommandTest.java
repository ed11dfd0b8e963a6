package io.thingport.shell.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.LogQuery;
import io.thingport.api.device.LogType;
import io.thingport.shell.support.Fakes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.Test;

/** What iot:device-log shows: entries whose payload the device log kept only the start of, and entries by filters. */
class DeviceLogCommandTest {

    @Test
    void aTruncatedPayloadIsMarkedWithAndWithoutRaw() throws Exception {
        // Verifies the mark in the detail column, after the detail or alone, and that whole entries carry none.
        // GIVEN a cut uplink, a cut rejection with a detail, and a whole uplink
        DeviceLogEntry cut = entry(1, "", true);
        DeviceLogEntry cutRejected = entry(2, "malformed: not JSON", true);
        DeviceLogEntry whole = entry(3, "", false);
        DeviceLogCommand command = new DeviceLogCommand();
        command.log = Fakes.service(DeviceLogService.class, Map.of("recent", args -> List.of(cut, cutRejected, whole)));
        command.noFormat = true;
        // WHEN
        String plain = Fakes.output(command::execute);
        command.raw = true;
        String raw = Fakes.output(command::execute);
        // THEN
        List<String> lines = plain.lines().toList();
        assertThat(lines.get(0)).endsWith("\t[payload truncated]");
        assertThat(lines.get(1)).endsWith("\tmalformed: not JSON [payload truncated]");
        assertThat(lines.get(2)).doesNotContain("truncated");
        assertThat(raw.lines().toList().get(0)).endsWith("\t[payload truncated]\t{\"note\":\"xxx\t{\"note\":\"xxx");
    }

    @Test
    void filtersBecomeOneQueryPrintedOldestFirst() throws Exception {
        // Verifies that --product, --type (repeated, any case), --from, --to and --limit make the query, and that its
        // entries (newest first) print newest last, as without filters.
        // GIVEN
        List<LogQuery> queries = new ArrayList<>();
        DeviceLogCommand command = new DeviceLogCommand();
        command.log = Fakes.service(DeviceLogService.class, Map.of("query", args -> {
            queries.add((LogQuery) args[0]);
            return List.of(entry(3, "", false), entry(2, "", false), entry(1, "", false));
        }));
        command.productId = "thermo";
        command.types = List.of("uplink", "AUTH_REFUSED");
        command.from = "2026-12-03T10:00:00Z";
        command.to = "2026-12-03T11:00:00+01:00";
        command.limit = 50;
        command.noFormat = true;
        // WHEN
        String out = Fakes.output(command::execute);
        // THEN
        assertThat(queries).containsExactly(new LogQuery(null, "thermo", Set.of(LogType.UPLINK, LogType.AUTH_REFUSED), null,
                Instant.parse("2026-12-03T10:00:00Z"), Instant.parse("2026-12-03T10:00:00Z"), null, null, 50));
        assertThat(out.lines().map(l -> l.split("\t")[4])).containsExactly("m1", "m2", "m3");
    }

    @Test
    void aBadTypeOrTimeIsRefusedNamingTheOption() {
        // Verifies the messages for a type that does not exist and for a time that is not an ISO-8601 instant.
        // GIVEN
        DeviceLogCommand command = new DeviceLogCommand();
        command.log = Fakes.service(DeviceLogService.class, Map.of());
        // WHEN / THEN
        command.types = List.of("upload");
        assertThatThrownBy(command::execute).hasMessageContaining("--type 'upload' is not an entry type: it is one of uplink, downlink,"
                + " rejected, online, offline, auth_refused, registered");
        command.types = null;
        command.from = "yesterday";
        assertThatThrownBy(command::execute).hasMessageContaining("--from 'yesterday' is not an ISO-8601 instant");
    }

    @Test
    void followedEntriesMeetTheFiltersToo() throws Exception {
        // Verifies that --follow with filters prints only the new entries that meet them.
        // GIVEN a log that hands the follower an uplink and a rejection
        DeviceLogEntry uplink = entry(1, "", false);
        DeviceLogEntry rejected = new DeviceLogEntry(2, Instant.EPOCH, "dev-1", "thermo", LogType.REJECTED, "", "m2", "", "", "",
                "malformed", false);
        DeviceLogCommand command = new DeviceLogCommand();
        command.log = Fakes.service(DeviceLogService.class, Map.of("query", args -> List.of(), "follow", args -> {
            @SuppressWarnings("unchecked")
            Consumer<DeviceLogEntry> listener = (Consumer<DeviceLogEntry>) args[1];
            listener.accept(uplink);
            listener.accept(rejected);
            return (AutoCloseable) () -> { };
        }));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream consoleStream = new PrintStream(console, true, StandardCharsets.UTF_8);
        command.session = Fakes.service(Session.class, Map.of("getConsole", args -> consoleStream));
        command.types = List.of("rejected");
        command.follow = true;
        command.duration = 1;
        // WHEN
        Fakes.output(command::execute);
        // THEN
        assertThat(console.toString(StandardCharsets.UTF_8).lines()).singleElement().asString().contains("\tm2\t", "malformed");
    }

    @Test
    void hexShowsThePayloadBytesOfTextAndBinaryAlike() {
        // Verifies --hex: a text payload shows its UTF-8 bytes, a base64: one the bytes it encodes (whole groups only when
        // the log cut it), text that only looks like base64 its own bytes.
        // GIVEN / WHEN / THEN
        assertThat(RawPayloads.hex("{\"a\":1}")).isEqualTo("7b 22 61 22 3a 31 7d");
        assertThat(RawPayloads.hex("base64:AAH/")).isEqualTo("00 01 ff");
        assertThat(RawPayloads.hex("base64:AAH/AA")).isEqualTo("00 01 ff");
        assertThat(RawPayloads.hex("base64:**!!")).isEqualTo("62 61 73 65 36 34 3a 2a 2a 21 21");
        assertThat(RawPayloads.hex("\u00e9")).isEqualTo("c3 a9");
        assertThat(RawPayloads.hex("")).isEmpty();
        assertThat(RawPayloads.show("base64:AAH/", false)).isEqualTo("base64:AAH/");
    }

    @Test
    void followWithHexPrintsRawBytesAndTheDecodedMessage() throws Exception {
        // Verifies live debugging in its raw form: --follow --hex prints each new entry with its payload in hex and its
        // decoded JSON, and filters by product.
        // GIVEN a follower handed a binary uplink of thermo and one of another product
        DeviceLogEntry binary = new DeviceLogEntry(5, Instant.EPOCH, "dev-1", "thermo", LogType.UPLINK, "properties/report", "m5",
                "", "base64:AQI=", "{\"temp\":2}", "", false);
        DeviceLogEntry other = new DeviceLogEntry(6, Instant.EPOCH, "dev-9", "lamp", LogType.UPLINK, "properties/report", "m6", "",
                "x", "{}", "", false);
        DeviceLogCommand command = new DeviceLogCommand();
        command.log = Fakes.service(DeviceLogService.class, Map.of("query", args -> List.of(), "follow", args -> {
            @SuppressWarnings("unchecked")
            Consumer<DeviceLogEntry> listener = (Consumer<DeviceLogEntry>) args[1];
            listener.accept(binary);
            listener.accept(other);
            return (AutoCloseable) () -> { };
        }));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream consoleStream = new PrintStream(console, true, StandardCharsets.UTF_8);
        command.session = Fakes.service(Session.class, Map.of("getConsole", args -> consoleStream));
        command.productId = "thermo";
        command.hex = true;
        command.follow = true;
        command.duration = 1;
        // WHEN
        String table = Fakes.output(command::execute);
        // THEN
        assertThat(console.toString(StandardCharsets.UTF_8).lines()).singleElement().asString().endsWith("\t01 02\t{\"temp\":2}");
        assertThat(table).contains("Raw (hex)", "Decoded");
    }

    @Test
    void aFullHistoryPageEndsWithTheOptionOfThePageBeforeIt() throws Exception {
        // Verifies history paging: --before becomes the query's beforeId, a full page prints the --before of the next
        // one back (its oldest entry), a short page nothing; --before with --follow is refused.
        // GIVEN
        List<LogQuery> queries = new ArrayList<>();
        DeviceLogCommand command = new DeviceLogCommand();
        command.log = Fakes.service(DeviceLogService.class, Map.of("query", args -> {
            queries.add((LogQuery) args[0]);
            return List.of(entry(9, "", false), entry(8, "", false));
        }));
        command.deviceId = "dev-1";
        command.before = 10L;
        command.limit = 2;
        // WHEN
        String full = Fakes.output(command::execute);
        command.limit = 3;
        String last = Fakes.output(command::execute);
        // THEN
        assertThat(queries.get(0)).isEqualTo(new LogQuery("dev-1", null, Set.of(), null, null, null, null, 10L, 2));
        assertThat(full.lines().toList()).last().isEqualTo("More: --before 8");
        assertThat(last).doesNotContain("More:");
        command.follow = true;
        assertThatThrownBy(command::execute).hasMessageContaining("--before pages back through the history");
    }

    private static DeviceLogEntry entry(long id, String detail, boolean truncated) {
        return new DeviceLogEntry(id, Instant.EPOCH, "dev-1", "thermo", LogType.UPLINK, "properties/report", "m" + id,
                "/thermo/dev-1/properties/report", "{\"note\":\"xxx", "{\"note\":\"xxx", detail, truncated);
    }
}
