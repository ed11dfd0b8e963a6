package io.thingport.shell.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.device.CommandQueue;
import io.thingport.api.device.CommandState;
import io.thingport.api.device.CommandTicket;
import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.device.QueuedCommand;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.WriteProperties;
import io.thingport.shell.support.Fakes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

/** iot:device-queue, and what iot:device-write says of a queued command. */
class DeviceQueueCommandTest {
    private static QueuedCommand entry(String id, CommandState state) {
        WriteProperties w = new WriteProperties(MessageHeader.of(id, "meter", "meter-1", 0), Map.of("valve", false));
        return new QueuedCommand(id, "meter-1", "meter", "properties/write", w, state, state == CommandState.EXPIRED ? "timeout" : null,
                null, null, Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), Instant.EPOCH);
    }

    @Test
    void theQueueIsListedOldestFirstAndAWaitingCommandCancelled() throws Exception {
        // Verifies the listing (command, type, state, times, code) and that --cancel cancels only the device's own command.
        // GIVEN a device with an expired and a waiting command
        List<String> cancelled = new ArrayList<>();
        DeviceQueueCommand command = new DeviceQueueCommand();
        command.queue = Fakes.service(CommandQueue.class, Map.of(
                "list", args -> List.of(entry("c1", CommandState.EXPIRED), entry("c2", CommandState.QUEUED)),
                "find", args -> Optional.of(entry((String) args[0], CommandState.QUEUED)),
                "cancel", args -> {
                    cancelled.add((String) args[0]);
                    return entry((String) args[0], CommandState.CANCELLED);
                }));
        command.deviceId = "meter-1";
        command.noFormat = true;
        // WHEN listed
        String out = Fakes.output(command::execute);
        // THEN
        assertThat(out).contains("c1\tproperties/write\texpired").contains("timeout").contains("c2\tproperties/write\tqueued");
        assertThat(out.indexOf("c1")).isLessThan(out.indexOf("c2"));
        // WHEN c2 is cancelled
        command.cancel = "c2";
        assertThat(Fakes.output(command::execute)).contains("cancelled c2");
        assertThat(cancelled).containsExactly("c2");
        // AND another device's command is not found
        command.deviceId = "other";
        assertThatThrownBy(command::execute).isInstanceOf(CommandException.class).hasMessageContaining("does not exist");
        assertThat(cancelled).containsExactly("c2");
    }

    @Test
    void aQueuedWriteSaysSoInsteadOfWaiting() throws Exception {
        // Verifies that iot:device-write prints "queued" for a sleepy device's command and does not wait for a reply.
        // GIVEN a sender that queues
        DeviceWriteCommand command = new DeviceWriteCommand();
        command.sender = Fakes.service(DeviceMessageSender.class, Map.of("newMessageId", args -> "m7",
                "submit", args -> new CommandTicket("m7", CommandState.QUEUED, new CompletableFuture<>())));
        command.deviceId = "meter-1";
        command.values = List.of("valve=false");
        // WHEN / THEN
        assertThat(Fakes.output(command::execute)).contains("queued (messageId m7)").contains("iot:device-queue meter-1");
    }
}
