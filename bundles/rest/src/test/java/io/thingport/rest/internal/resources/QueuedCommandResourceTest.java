package io.thingport.rest.internal.resources;

import static io.thingport.api.device.CommandState.FAILED;
import static io.thingport.api.device.CommandState.QUEUED;
import static io.thingport.rest.internal.resources.ProductOptionsResourceTest.fake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandQueue;
import io.thingport.api.device.CommandTicket;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.QueuedCommand;
import io.thingport.api.message.DeviceCommand;
import io.thingport.rest.internal.commands.CommandState;
import io.thingport.rest.internal.commands.CommandTracker;
import io.thingport.rest.internal.resources.CommandResource.CommandBody;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class QueuedCommandResourceTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Device METER = new Device("meter-1", "psm", "meter", true, DeviceState.NEVER_ONLINE, NOW);
    private static final CommandBody WRITE = new CommandBody("write", null, null, null, Map.of("led", true), null, null);

    private static QueuedCommand queued(DeviceCommand c) {
        return new QueuedCommand(c.messageId(), c.deviceId(), c.productId(), "properties/write", c, QUEUED, null, null, null, NOW,
                NOW.plus(Duration.ofHours(24)), NOW);
    }

    @Test
    void aCommandForASleepyOfflineDeviceIsAnswered202Queued() throws InterruptedException {
        // Verifies that a queued command answers 202 with its id and state "queued" (even without async), and that
        // GET /commands/{id} reads its state from the queue, not the API's memory.
        // GIVEN a sender that queues, and the queue that stores it
        Map<String, QueuedCommand> queue = new HashMap<>();
        DeviceMessageSender sender = fake(DeviceMessageSender.class, Map.of("newMessageId", a -> "m1", "submit", a -> {
            DeviceCommand c = (DeviceCommand) a[0];
            queue.put(c.messageId(), queued(c));
            return new CommandTicket(c.messageId(), QUEUED, new CompletableFuture<>());
        }));
        CommandQueue queues = fake(CommandQueue.class, Map.of("find", a -> Optional.ofNullable(queue.get((String) a[0]))));
        DeviceService devices = fake(DeviceService.class, Map.of("findDevice", a -> Optional.of(METER)));
        CommandTracker tracker = new CommandTracker(10);
        CommandResource resource = Callers.as(Callers.OPERATOR, new CommandResource(devices, sender, queues, tracker,
                Duration.ofSeconds(30), CLOCK));
        // WHEN
        Response r = resource.send("meter-1", WRITE);
        // THEN
        assertThat(r.getStatus()).isEqualTo(202);
        CommandState body = (CommandState) r.getEntity();
        assertThat(body.commandId()).isEqualTo("m1");
        assertThat(body.state()).isEqualTo("queued");
        assertThat(body.type()).isEqualTo("write");
        assertThat(body.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(tracker.get("m1")).isEmpty();
        CommandStatusResource status = Callers.as(Callers.OPERATOR, new CommandStatusResource(tracker, queues));
        assertThat(status.get("m1").state()).isEqualTo("queued");
    }

    @Test
    void aFullQueueIsRefusedWithItsError() {
        // Verifies that a command refused by a full queue is answered with that error (CONFLICT, 409), not as a state.
        // GIVEN a sender whose queue is full
        ThingportException full = new ThingportException(ErrorCode.CONFLICT, "the command queue of device meter-1 is full");
        DeviceMessageSender sender = fake(DeviceMessageSender.class, Map.of("newMessageId", a -> "m2", "submit",
                a -> new CommandTicket("m2", FAILED, CompletableFuture.failedFuture(full))));
        DeviceService devices = fake(DeviceService.class, Map.of("findDevice", a -> Optional.of(METER)));
        CommandResource resource = Callers.as(Callers.OPERATOR, new CommandResource(devices, sender,
                fake(CommandQueue.class, Map.of()), new CommandTracker(10), Duration.ofSeconds(30), CLOCK));
        // WHEN / THEN
        assertThatThrownBy(() -> resource.send("meter-1", WRITE)).isSameAs(full);
        assertThat(List.of(full.code().httpStatus())).containsExactly(409);
    }
}
