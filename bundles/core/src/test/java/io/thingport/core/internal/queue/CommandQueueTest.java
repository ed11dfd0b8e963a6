package io.thingport.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandQueueSettings;
import io.thingport.api.device.CommandState;
import io.thingport.api.device.CommandTicket;
import io.thingport.api.device.CommunicationType;
import io.thingport.api.device.DownlinkMode;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.PowerMode;
import io.thingport.api.device.ProductOptions;
import io.thingport.api.device.QueuedCommand;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceReply;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.InvokeFunctionReply;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.core.internal.downlink.DeviceMessageSenderImpl;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.gateway.TestSessions;
import io.thingport.core.internal.json.ThingModelJson;
import io.thingport.core.internal.registry.RegistryFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Queued commands of sleepy devices on the platform's database (H2 here; PostgreSQL where the tests run on it). */
@Tag("storage")
class CommandQueueTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final RegistryFixture registry = new RegistryFixture();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<String> published = new CopyOnWriteArrayList<>();
    private DeviceEventBusImpl events;
    private CommandQueueImpl queue;
    private DeviceMessageSenderImpl sender;

    /** A clock the test moves. */
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        registry.products.createProduct(new NewProduct("psm", "Meter", null, null, false, ThingModelJson.parse(RegistryFixture.MODEL),
                null, null, new ProductOptions(null, CommunicationType.NB_IOT, PowerMode.LOW_POWER, DownlinkMode.PSM, null,
                        new CommandQueueSettings(3, Duration.ofHours(1)))));
        registry.product(false);
        registry.devices.createDevice(new NewDevice("meter-1", "psm", null, null));
        registry.devices.createDevice(new NewDevice("plug-1", "p1", null, null));
        start();
    }

    private void start() throws Exception {
        events = new DeviceEventBusImpl();
        events.subscribe("/device/+/+/event/#", (topic, m) -> published.add(topic.substring(topic.lastIndexOf('/') + 1)
                + " " + ((Map<?, ?>) ((DeviceEvent) m).data()).get("commandId")));
        queue = new CommandQueueImpl(registry.storage, registry.devices, events, clock);
        sender = new DeviceMessageSenderImpl(registry.sessions, registry.devices, registry.products, registry.log, queue, events);
    }

    private void restart() throws Exception {
        sender.close();
        registry.restart();
        start();
    }

    @AfterEach
    void tearDown() {
        sender.close();
        registry.close();
    }

    private static WriteProperties write(String id, String deviceId, String productId, boolean led) {
        return new WriteProperties(MessageHeader.of(id, productId, deviceId, 0), Map.of("led", led));
    }

    private static ThingportException failure(CompletableFuture<?> stage) {
        assertThat(stage).isCompletedExceptionally();
        return (ThingportException) stage.handle((r, e) -> e).join();
    }

    @Test
    void aCommandToAnOfflineAlwaysOnDeviceStillFailsFast() {
        // Verifies that an always-on product's offline device gets DEVICE_OFFLINE at once and nothing is queued.
        // GIVEN plug-1 of an always-on product, not connected
        // WHEN
        CommandTicket ticket = sender.submit(write("c1", "plug-1", "p1", true), REPLY_TIMEOUT);
        // THEN
        assertThat(ticket.state()).isEqualTo(CommandState.FAILED);
        assertThat(failure(ticket.reply().toCompletableFuture()).code()).isEqualTo(ErrorCode.DEVICE_OFFLINE);
        assertThat(queue.list("plug-1", 10)).isEmpty();
        assertThat(queue.find("c1")).isEmpty();
    }

    @Test
    void aFullQueueRefusesTheNextCommandAndKeepsTheOthers() {
        // Verifies that a sleepy device's queue takes up to its product's maximum and refuses one more with CONFLICT.
        // GIVEN a PSM product queueing 3 commands, meter-1 offline, 3 commands queued
        for (int i = 1; i <= 3; i++) {
            assertThat(sender.submit(write("c" + i, "meter-1", "psm", true), REPLY_TIMEOUT).state()).isEqualTo(CommandState.QUEUED);
        }
        // WHEN a fourth comes
        CommandTicket fourth = sender.submit(write("c4", "meter-1", "psm", true), REPLY_TIMEOUT);
        // THEN
        ThingportException refused = failure(fourth.reply().toCompletableFuture());
        assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(refused.getMessage()).contains("meter-1 is full");
        assertThat(queue.list("meter-1", 10)).extracting(QueuedCommand::commandId).containsExactly("c1", "c2", "c3");
        assertThat(queue.find("c4")).isEmpty();
    }

    @Test
    void queuedCommandsSurviveARestartAndAreDeliveredInOrderAtTheNextContact() throws Exception {
        // Verifies the whole life of queued commands: queued, kept across a restart, written in queue order when the
        // device makes contact, replied; each transition published.
        // GIVEN three commands queued for meter-1 while offline, then a restart of the platform
        for (int i = 1; i <= 3; i++) {
            sender.submit(write("c" + i, "meter-1", "psm", i % 2 == 0), REPLY_TIMEOUT);
        }
        restart();
        assertThat(registry.products.getProduct("psm").options().queue()).isEqualTo(new CommandQueueSettings(3, Duration.ofHours(1)));
        assertThat(queue.list("meter-1", 10)).extracting(q -> q.state()).containsOnly(CommandState.QUEUED);
        // WHEN the device connects
        List<DeviceMessage> written = new CopyOnWriteArrayList<>();
        DeviceSession session = TestSessions.recording("meter-1", "psm", written);
        registry.sessions.register(session);
        sender.flush(session);
        // THEN it gets them in order, and they are sent
        awaitTrue(() -> written.size() == 3);
        assertThat(written).extracting(DeviceMessage::messageId).containsExactly("c1", "c2", "c3");
        assertThat(((WriteProperties) written.get(1)).properties()).isEqualTo(Map.of("led", true));
        awaitTrue(() -> queue.find("c3").orElseThrow().state() == CommandState.SENT);
        // WHEN it replies to c1 (success) and c2 (error)
        DeviceReply ok = new WritePropertiesReply(MessageHeader.of("c1", "psm", "meter-1", 0), true, null, null, Map.of("led", false));
        DeviceReply error = new WritePropertiesReply(MessageHeader.of("c2", "psm", "meter-1", 0), false, "busy", "later", Map.of());
        assertThat(sender.complete(ok)).isTrue();
        assertThat(sender.complete(error)).isTrue();
        // THEN
        awaitTrue(() -> queue.find("c2").orElseThrow().state() == CommandState.FAILED);
        awaitTrue(() -> queue.find("c1").orElseThrow().state() == CommandState.REPLIED);
        QueuedCommand c1 = queue.find("c1").orElseThrow();
        assertThat(c1.state()).isEqualTo(CommandState.REPLIED);
        assertThat(c1.result()).isEqualTo(Map.of("led", false));
        assertThat(queue.find("c2").orElseThrow().state()).isEqualTo(CommandState.FAILED);
        assertThat(queue.find("c2").orElseThrow().code()).isEqualTo("busy");
        awaitTrue(() -> published.containsAll(List.of("$command-queued c1", "$command-sent c1", "$command-replied c1",
                "$command-failed c2", "$command-sent c3")));
    }

    @Test
    void aCommandPastItsTimeToLiveExpiresInsteadOfBeingDelivered() throws Exception {
        // Verifies that a queued command expires after its time to live: by the sweep, and at a contact (not written).
        // GIVEN two commands queued, the second half an hour later
        CommandTicket first = sender.submit(write("c1", "meter-1", "psm", true), REPLY_TIMEOUT);
        now.addAndGet(Duration.ofMinutes(30).toMillis());
        sender.submit(write("c2", "meter-1", "psm", true), REPLY_TIMEOUT);
        // WHEN an hour has passed since the first and the sweep runs
        now.addAndGet(Duration.ofMinutes(30).toMillis());
        assertThat(queue.sweep()).isEqualTo(1);
        // THEN the first expired, and its caller hears it
        assertThat(queue.find("c1").orElseThrow().state()).isEqualTo(CommandState.EXPIRED);
        first.reply().toCompletableFuture().handle((r, e) -> e).get(10, TimeUnit.SECONDS);
        assertThat(first.reply().toCompletableFuture()).isCompletedExceptionally();
        // WHEN another hour passes and the device connects
        now.addAndGet(Duration.ofHours(1).toMillis());
        List<DeviceMessage> written = new CopyOnWriteArrayList<>();
        DeviceSession session = TestSessions.recording("meter-1", "psm", written);
        registry.sessions.register(session);
        sender.flush(session);
        // THEN nothing is written, the second expired too
        assertThat(written).isEmpty();
        assertThat(queue.find("c2").orElseThrow().state()).isEqualTo(CommandState.EXPIRED);
        assertThat(queue.find("c2").orElseThrow().code()).isEqualTo("timeout");
    }

    @Test
    void aConnectedSleepyDeviceGetsACommandAtOnceUnlessOthersWaitBeforeIt() throws Exception {
        // Verifies that a sleepy device with a connection gets a command written at once when its queue is empty, and
        // queued behind the waiting ones (then all written, in order) when it is not.
        // GIVEN a command queued while meter-1 was offline, then its connection
        sender.submit(write("c1", "meter-1", "psm", true), REPLY_TIMEOUT);
        List<DeviceMessage> written = new CopyOnWriteArrayList<>();
        registry.sessions.register(TestSessions.recording("meter-1", "psm", written));
        // WHEN another command is sent while c1 still waits
        CommandTicket second = sender.submit(write("c2", "meter-1", "psm", false), REPLY_TIMEOUT);
        // THEN it queued behind c1, and both were written in order
        assertThat(second.state()).isEqualTo(CommandState.QUEUED);
        awaitTrue(() -> written.size() == 2);
        assertThat(written).extracting(DeviceMessage::messageId).containsExactly("c1", "c2");
        // WHEN a third is sent with the queue empty
        awaitTrue(() -> queue.find("c2").orElseThrow().state() == CommandState.SENT);
        CommandTicket third = sender.submit(write("c3", "meter-1", "psm", true), REPLY_TIMEOUT);
        // THEN it is written at once, not queued
        assertThat(third.state()).isEqualTo(CommandState.SENT);
        assertThat(written).extracting(DeviceMessage::messageId).containsExactly("c1", "c2", "c3");
        assertThat(queue.find("c3")).isEmpty();
    }

    @Test
    void aSleepyDeviceThatDisconnectsBeforeReplyingMayReplyAtItsNextContact() throws Exception {
        // Verifies that a queued command written to a sleepy device stays sent when the device's connection ends, and is
        // replied when the answer comes on its next connection; an always-on device's command fails at once instead.
        // GIVEN c1 queued, written to meter-1 at its contact; c2 written to the connected always-on plug-1
        sender.submit(write("c1", "meter-1", "psm", true), REPLY_TIMEOUT);
        List<DeviceMessage> written = new CopyOnWriteArrayList<>();
        DeviceSession meter = TestSessions.recording("meter-1", "psm", written);
        registry.sessions.register(meter);
        sender.flush(meter);
        awaitTrue(() -> queue.find("c1").orElseThrow().state() == CommandState.SENT);
        registry.sessions.register(TestSessions.recording("plug-1", "p1", written));
        CommandTicket plug = sender.submit(write("c2", "plug-1", "p1", true), REPLY_TIMEOUT);
        // WHEN both connections end
        sender.deviceWentOffline("meter-1");
        sender.deviceWentOffline("plug-1");
        // THEN the plug's command failed, the meter's still waits
        assertThat(failure(plug.reply().toCompletableFuture()).code()).isEqualTo(ErrorCode.DEVICE_OFFLINE);
        assertThat(queue.find("c1").orElseThrow().state()).isEqualTo(CommandState.SENT);
        // WHEN the meter answers after it reconnected
        registry.sessions.register(TestSessions.recording("meter-1", "psm", written));
        assertThat(sender.complete(new WritePropertiesReply(MessageHeader.of("c1", "psm", "meter-1", 0), true, null, null,
                Map.of("led", true)))).isTrue();
        // THEN it is replied
        awaitTrue(() -> queue.find("c1").orElseThrow().state() == CommandState.REPLIED);
    }

    @Test
    void aComponentsCommandOutcomeEndsTheCommandAndDownlinksCarryTheirMessageId() throws Exception {
        // Verifies what a cloud bridge relies on: the sent downlink carries its message id as a header, a success outcome
        // completes a write as replied with the written values, a failure fails an invoke with its code, and a read,
        // an unknown id or a second outcome change nothing.
        // GIVEN plug-1 connected through a session that records what its connection sends
        List<EncodedMessage> sent = new CopyOnWriteArrayList<>();
        DeviceSession plug = TestSessions.sending("plug-1", "p1", sent);
        registry.sessions.register(plug);
        // WHEN a write, an invoke and a read are sent
        CommandTicket write = sender.submit(write("w1", "plug-1", "p1", true), REPLY_TIMEOUT);
        CommandTicket invoke = sender.submit(new InvokeFunction(MessageHeader.of("i1", "p1", "plug-1", 0), "reboot",
                Map.of("delay", 1)), REPLY_TIMEOUT);
        CommandTicket read = sender.submit(new ReadProperties(MessageHeader.of("r1", "p1", "plug-1", 0), List.of("led")),
                REPLY_TIMEOUT);
        awaitTrue(() -> sent.size() == 3);
        // THEN each carries its id
        assertThat(sent).extracting(m -> m.headers().get(EncodedMessage.MESSAGE_ID)).containsExactly("w1", "i1", "r1");
        assertThat(sent).extracting(m -> m.headers().get(EncodedMessage.MESSAGE_TYPE))
                .containsExactly("properties/write", "function/invoke", "properties/read");
        // WHEN the component reports the outcomes
        assertThat(sender.outcome("plug-1", "w1", true, null, null)).isTrue();
        assertThat(sender.outcome("plug-1", "i1", false, "FAILED", "the device did not take it")).isTrue();
        assertThat(sender.outcome("plug-1", "r1", true, null, null)).isFalse();
        assertThat(sender.outcome("plug-1", "w1", true, null, null)).isFalse();
        assertThat(sender.outcome("plug-1", "nope", true, null, null)).isFalse();
        // THEN
        WritePropertiesReply replied = (WritePropertiesReply) write.reply().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(replied.success()).isTrue();
        assertThat(replied.properties()).isEqualTo(Map.of("led", true));
        InvokeFunctionReply failed = (InvokeFunctionReply) invoke.reply().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(failed.success()).isFalse();
        assertThat(failed.code()).isEqualTo("FAILED");
        assertThat(read.reply().toCompletableFuture()).isNotDone();
    }

    @Test
    void anOperatorCancelsAWaitingCommandOnly() {
        // Verifies that a queued command can be cancelled once, and a finished one not (CONFLICT), an unknown one NOT_FOUND.
        // GIVEN
        sender.submit(write("c1", "meter-1", "psm", true), REPLY_TIMEOUT);
        // WHEN
        QueuedCommand cancelled = queue.cancel("c1");
        // THEN
        assertThat(cancelled.state()).isEqualTo(CommandState.CANCELLED);
        assertThat(queue.find("c1").orElseThrow().state()).isEqualTo(CommandState.CANCELLED);
        assertThatThrownBy(() -> queue.cancel("c1")).extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> queue.cancel("nope")).extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> queue.list("nobody", 10)).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.onSpinWait();
            Thread.sleep(10);
        }
    }
}
