package io.thingport.shell.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.device.CommandState;
import io.thingport.api.device.CommandTicket;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.LogType;
import io.thingport.api.device.PropertyValue;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.shell.support.Fakes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.karaf.shell.api.console.Session;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

/** What the device commands print of device data: escaped, so that a device cannot drive the operator's terminal. */
class DeviceOutputTest {
    /** Clears the screen (ESC [ 2 J), then a one-character CSI (U+009B). */
    private static final String HOSTILE = "\u001b[2J\u009b";
    private static final String ESCAPED = "\\u001b[2J\\u009b";

    @Test
    void propertyValuesArePrintedEscaped() throws Exception {
        // Verifies iot:device-props, for people and with --no-format, on a string property a device set to an ANSI
        // sequence.
        // GIVEN
        PropertyValue note = new PropertyValue("dev-1", "note", "x" + HOSTILE, "\"x" + HOSTILE + "\"", Instant.EPOCH);
        DevicePropsCommand command = new DevicePropsCommand();
        command.devices = Fakes.service(DeviceService.class, Map.of("latestProperties", args -> Map.of("note", note)));
        command.id = "dev-1";
        // WHEN
        String table = Fakes.output(command::execute);
        command.noFormat = true;
        String plain = Fakes.output(command::execute);
        // THEN
        assertRawFree(table).contains("\"x" + ESCAPED + "\"");
        assertRawFree(plain).startsWith("note\t\"x" + ESCAPED + "\"\t");
    }

    @Test
    void theDeviceLogIsPrintedEscapedInTheTableWithRawAndWhenFollowed() throws Exception {
        // Verifies iot:device-log: topic, detail, raw payload and decoded message of an entry (all of them the device's)
        // are escaped in the table, in --no-format, with --raw, and in the lines --follow prints on the session console.
        // GIVEN an uplink whose every device-supplied field carries the sequence, and a follower that gets one more
        DeviceLogEntry entry = new DeviceLogEntry(1, Instant.EPOCH, "dev-1", "thermo", LogType.UPLINK, "properties/report", "m1",
                "/thermo/dev-1/" + HOSTILE, "{\"note\":\"" + HOSTILE + "\"}", "{\"note\":\"" + HOSTILE + "\"}",
                "rejected: note " + HOSTILE);
        DeviceLogCommand command = new DeviceLogCommand();
        command.log = Fakes.service(DeviceLogService.class, Map.of(
                "recent", args -> List.of(entry),
                "follow", args -> {
                    @SuppressWarnings("unchecked")
                    Consumer<DeviceLogEntry> listener = (Consumer<DeviceLogEntry>) args[1];
                    listener.accept(entry);
                    return (AutoCloseable) () -> { };
                }));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream consoleStream = new PrintStream(console, true, StandardCharsets.UTF_8);
        command.session = Fakes.service(Session.class, Map.of("getConsole", args -> consoleStream));
        command.deviceId = "dev-1";

        // WHEN
        String table = Fakes.output(command::execute);
        command.noFormat = true;
        String plain = Fakes.output(command::execute);
        command.raw = true;
        String raw = Fakes.output(command::execute);
        command.follow = true;
        command.duration = 1;
        Fakes.output(command::execute);
        String followed = console.toString(StandardCharsets.UTF_8);

        // THEN
        assertRawFree(table).contains("/thermo/dev-1/" + ESCAPED, "rejected: note " + ESCAPED);
        assertRawFree(plain).contains("\t/thermo/dev-1/" + ESCAPED + "\trejected: note " + ESCAPED);
        assertRawFree(raw).contains("rejected: note " + ESCAPED + "\t{\"note\":\"" + ESCAPED + "\"}");
        assertRawFree(followed).contains("\t/thermo/dev-1/" + ESCAPED + "\trejected: note " + ESCAPED + "\t{\"note\":\"" + ESCAPED
                + "\"}\t{\"note\":\"" + ESCAPED + "\"}");
    }

    @Test
    void aDevicesReplyIsPrintedEscaped() throws Exception {
        // Verifies iot:device-read (the reply printer shared with device-write and device-invoke): the values a device
        // answers and the error message of a failed reply are escaped.
        // GIVEN a device that answers a read with the sequence, then fails with it
        MessageHeader header = MessageHeader.of("m1", "thermo", "dev-1", 1L);
        List<ReadPropertiesReply> replies = new ArrayList<>(List.of(
                new ReadPropertiesReply(header, true, null, null, Map.of("note", HOSTILE)),
                new ReadPropertiesReply(header, false, "refused", "no " + HOSTILE, Map.of())));
        DeviceReadCommand command = new DeviceReadCommand();
        command.sender = Fakes.service(DeviceMessageSender.class, Map.of(
                "newMessageId", args -> "m1",
                "submit", args -> new CommandTicket("m1", CommandState.SENT, CompletableFuture.completedFuture(replies.remove(0)))));
        command.deviceId = "dev-1";
        command.properties = List.of("note");
        // WHEN / THEN
        // (the value is printed as JSON: Jackson has escaped the ESC already, as \\u001B; the C1 code was left to the shell)
        assertRawFree(Fakes.output(command::execute)).contains("note = \"\\u001B[2J\\u009b\"");
        assertThatThrownBy(() -> Fakes.output(command::execute)).satisfies(e -> assertRawFree(e.getMessage())
                .contains("with failure: refused no " + ESCAPED));
    }

    private static AbstractStringAssert<?> assertRawFree(String out) {
        return assertThat(out).doesNotContain("\u001b").doesNotContain("\u009b");
    }
}
