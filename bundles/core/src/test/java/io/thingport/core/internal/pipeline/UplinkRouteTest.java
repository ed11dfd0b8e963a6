package io.thingport.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.LogType;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceReply;
import io.thingport.api.message.ErrorMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.RegisterRequest;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.model.ThingModel;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.gateway.TestSessions;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.json.ThingModelJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The uplink route on a plain CamelContext, with fake effects in place of storage, the device log and the device. */
class UplinkRouteTest {
    private static final ThingModel MODEL = ThingModelJson.parse("""
            {"properties":[
              {"id":"temp","type":{"type":"float","min":-40,"max":85}},
              {"id":"led","type":"bool","access":"read-write"}],
             "events":[{"id":"overheat","level":"warn","output":{"type":"float"}}]}
            """);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RecordingEffects effects = new RecordingEffects();
    private final DeviceSession session = TestSessions.session("dev-1", "p1");
    private CamelContext camel;
    private UplinkRoute route;

    @BeforeEach
    void setUp() throws Exception {
        effects.models.put("p1", MODEL);
        camel = new DefaultCamelContext();
        camel.start();
        route = new UplinkRoute(camel, effects);
    }

    @AfterEach
    void tearDown() {
        route.close();
        camel.stop();
    }

    private static MessageHeader header(String messageId, long timestamp) {
        return MessageHeader.of(messageId, "p1", "dev-1", timestamp);
    }

    private static EncodedMessage raw(String suffix, String payload) {
        return EncodedMessage.of("/p1/dev-1/" + suffix, payload);
    }

    @Test
    void storesAValidReportWithCanonicalValuesAndPublishesIt() {
        // Verifies that a report is checked against the thing model, stored with canonical values, logged and published.
        // GIVEN a report whose float property is sent as an integer
        ReportProperties report = new ReportProperties(header("m1", 1000), Map.of("temp", 21, "led", true));

        // WHEN it runs through the route
        CompletableFuture<Void> done = route.process(session, report, raw("properties/report", "{\"temp\":21,\"led\":true}"));

        // THEN the canonical values are stored at the device's timestamp, the uplink is logged, and the event published
        assertThat(done).succeedsWithin(WAIT);
        assertThat(effects.stored).containsExactly(new Stored("dev-1", Map.of("temp", 21.0, "led", true), 1000));
        assertThat(effects.logged).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(LogType.UPLINK);
            assertThat(e.messageId()).isEqualTo("m1");
            assertThat(e.topic()).isEqualTo("/p1/dev-1/properties/report");
            assertThat(e.raw()).isEqualTo("{\"temp\":21,\"led\":true}");
            assertThat(e.decoded()).contains("21.0");
        });
        assertThat(effects.published).singleElement().isInstanceOfSatisfying(ReportProperties.class,
                r -> assertThat(r.properties()).isEqualTo(Map.of("temp", 21.0, "led", true)));
        assertThat(effects.delivered).isEmpty();
    }

    @Test
    void continuesOnlyAfterTheWritesCommitted() {
        // Verifies that nothing is published, and the caller's stage stays open, until storage has committed.
        // GIVEN a store whose commit is still pending
        CompletableFuture<Boolean> commit = new CompletableFuture<>();
        effects.storeResult = () -> commit;
        ReportProperties report = new ReportProperties(header("m2", 1000), Map.of("temp", 20.5));

        // WHEN the report runs through the route
        CompletableFuture<Void> done = route.process(session, report, raw("properties/report", "{\"temp\":20.5}"));

        // THEN it waits for the commit, and goes on once it happened
        await().atMost(WAIT).until(() -> effects.stored.size() == 1);
        assertThat(done).isNotDone();
        assertThat(effects.published).isEmpty();
        commit.complete(true);
        assertThat(done).succeedsWithin(WAIT);
        assertThat(effects.published).hasSize(1);
    }

    @Test
    void aResentMessageStoredBeforeIsAcknowledgedButNotDispatchedAgain() {
        // Verifies that a message storage recognises as a resend (already stored) completes the stage (the transport
        // acknowledges it) without publishing it or completing a command a second time.
        // GIVEN storage that finds the message stored already
        effects.storeResult = () -> CompletableFuture.completedFuture(false);
        ReadPropertiesReply reply = new ReadPropertiesReply(header("m9", 2000), true, null, null, Map.of("led", false));

        // WHEN the reply runs through the route
        CompletableFuture<Void> done = route.process(session, reply, raw("properties/read/reply", "{}"));

        // THEN the stage succeeds, and nothing is published or completed
        assertThat(done).succeedsWithin(WAIT);
        assertThat(effects.published).isEmpty();
        assertThat(effects.completed).isEmpty();
    }

    @Test
    void rejectsAReportThatBreaksTheThingModelAndStoresNothing() {
        // Verifies that an invalid value rejects the whole message: /error to the device, REJECTED log, nothing stored, and
        // only the /error published (for rules on $events/message/rejected).
        // GIVEN a report with one valid and one out-of-range value
        ReportProperties report = new ReportProperties(header("m3", 1000), Map.of("temp", 200, "led", true));

        // WHEN it runs through the route
        CompletableFuture<Void> done = route.process(session, report, raw("properties/report", "{\"temp\":200,\"led\":true}"));

        // THEN the stage completes (the rejection is handled) and only the rejection left a trace
        assertThat(done).succeedsWithin(WAIT);
        assertThat(effects.stored).isEmpty();
        assertThat(effects.published).singleElement().isInstanceOfSatisfying(ErrorMessage.class,
                error -> assertThat(error.message()).contains("temp"));
        assertThat(effects.logged).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(LogType.REJECTED);
            assertThat(e.messageType()).isEqualTo("properties/report");
            assertThat(e.messageId()).isEqualTo("m3");
            assertThat(e.raw()).isEqualTo("{\"temp\":200,\"led\":true}");
            assertThat(e.detail()).startsWith(ErrorCode.INVALID_VALUE.wireName() + ": ").contains("temp");
        });
        assertThat(effects.delivered).singleElement().isInstanceOfSatisfying(ErrorMessage.class, error -> {
            assertThat(error.code()).isEqualTo(ErrorCode.INVALID_VALUE);
            assertThat(error.messageId()).isEqualTo("m3");
            assertThat(error.deviceId()).isEqualTo("dev-1");
        });
    }

    @Test
    void rejectsAMessageADeviceMayNotSend() {
        // Verifies that a message type the pipeline does not take from devices is rejected as unsupported.
        // GIVEN a registration request on a device connection
        RegisterRequest request = new RegisterRequest(header("m4", 1000));

        // WHEN it runs through the route
        CompletableFuture<Void> done = route.process(session, request, raw("register", "{}"));

        // THEN it is refused as unsupported, and only the refusal is published
        assertThat(done).succeedsWithin(WAIT);
        assertThat(effects.logged).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(LogType.REJECTED);
            assertThat(e.detail()).startsWith(ErrorCode.UNSUPPORTED.wireName() + ": ");
        });
        assertThat(effects.delivered).singleElement().isInstanceOf(ErrorMessage.class);
        assertThat(effects.stored).isEmpty();
        assertThat(effects.published).singleElement().isInstanceOf(ErrorMessage.class);
    }

    @Test
    void storesTheValuesOfAReplyAndHandsItToTheWaitingCommand() {
        // Verifies that a read reply is stored, completes the waiting command, and is published.
        // GIVEN a successful reply to a property read
        ReadPropertiesReply reply = new ReadPropertiesReply(header("cmd-1", 2000), true, null, null, Map.of("led", false));

        // WHEN it runs through the route
        CompletableFuture<Void> done = route.process(session, reply, raw("properties/read/reply", "{}"));

        // THEN its values are stored, the command gets the checked reply, and it is published
        assertThat(done).succeedsWithin(WAIT);
        assertThat(effects.stored).containsExactly(new Stored("dev-1", Map.of("led", false), 2000));
        assertThat(effects.completed).singleElement().satisfies(r -> assertThat(r.messageId()).isEqualTo("cmd-1"));
        assertThat(effects.published).containsExactlyElementsOf(effects.completed);
    }

    @Test
    void publishesAValidEventWithoutStoringProperties() {
        // Verifies that an event is checked, logged and published, and that it stores no property value.
        // GIVEN an event the thing model declares
        DeviceEvent event = new DeviceEvent(header("m5", 3000), "overheat", 90);

        // WHEN it runs through the route
        CompletableFuture<Void> done = route.process(session, event, raw("event", "{}"));

        // THEN it is logged and published with its canonical output, and nothing is stored
        assertThat(done).succeedsWithin(WAIT);
        assertThat(effects.stored).isEmpty();
        assertThat(effects.logged).extracting(LogEntry::type).containsExactly(LogType.UPLINK);
        assertThat(effects.published).singleElement().isInstanceOfSatisfying(DeviceEvent.class,
                e -> assertThat(e.data()).isEqualTo(90.0));
    }

    @Test
    void aFailedWriteFailsTheStageAndPublishesNothing() {
        // Verifies that a storage failure reaches the caller (so the transport does not acknowledge) and stops the route.
        // GIVEN a store that fails
        effects.storeResult = () -> CompletableFuture.failedFuture(new ThingportException(ErrorCode.INTERNAL, "disk full"));
        ReportProperties report = new ReportProperties(header("m6", 1000), Map.of("temp", 20.0));

        // WHEN a report runs through the route
        CompletableFuture<Void> done = route.process(session, report, raw("properties/report", "{\"temp\":20}"));

        // THEN the caller's stage fails with the storage error, and nothing is published
        assertThat(done).failsWithin(WAIT).withThrowableOfType(Exception.class).withMessageContaining("disk full");
        assertThat(effects.published).isEmpty();
    }

    @Test
    void aStoreThatThrowsAtOnceFailsTheStageToo() {
        // Verifies that a failure thrown before the write is even queued reaches the caller rather than the route's
        // thread (the route has no error handler to catch it).
        // GIVEN a store that throws when called
        effects.storeResult = () -> {
            throw new ThingportException(ErrorCode.UNAVAILABLE, "writer stopped");
        };
        ReportProperties report = new ReportProperties(header("m8", 1000), Map.of("temp", 20.0));

        // WHEN a report runs through the route
        CompletableFuture<Void> done = route.process(session, report, raw("properties/report", "{\"temp\":20}"));

        // THEN the caller's stage fails with that error, and nothing is published
        assertThat(done).failsWithin(WAIT).withThrowableOfType(Exception.class).withMessageContaining("writer stopped");
        assertThat(effects.published).isEmpty();
    }

    @Test
    void aRejectionWhoseLogEntryCannotBeStoredFailsTheStage() {
        // Verifies that a rejected report is acknowledged only once its REJECTED entry is stored: when the entry
        // cannot be, the caller's stage fails (the device is not answered and sends again).
        // GIVEN a log that cannot store
        effects.logResult = () -> CompletableFuture.failedFuture(new ThingportException(ErrorCode.INTERNAL, "log disk full"));
        ReportProperties report = new ReportProperties(header("m9", 1000), Map.of("temp", 999.0));

        // WHEN a report that breaks the thing model runs through the route
        CompletableFuture<Void> done = route.process(session, report, raw("properties/report", "{\"temp\":999}"));

        // THEN the stage fails with the log's error, and nothing is stored or published
        assertThat(done).failsWithin(WAIT).withThrowableOfType(Exception.class).withMessageContaining("log disk full");
        assertThat(effects.stored).isEmpty();
        assertThat(effects.published).isEmpty();
    }

    @Test
    void thePlatformContextSkipsStreamCaching() {
        // Verifies the per-message work the platform's CamelContext is configured without.
        DefaultCamelContext context = new DefaultCamelContext();
        UplinkPipeline.lightweight(context);
        assertThat(context.isStreamCaching()).isFalse();
    }

    @Test
    void anUplinkOfAProductThatNoLongerExistsFailsAndStoresNothing() {
        // Verifies that a missing product fails the stage with NOT_FOUND rather than storing unchecked values.
        // GIVEN a session whose product is gone
        DeviceSession orphan = TestSessions.session("dev-9", "gone");
        ReportProperties report = new ReportProperties(MessageHeader.of("m7", "gone", "dev-9", 1000), Map.of("temp", 20.0));

        // WHEN its report runs through the route
        CompletableFuture<Void> done = route.process(orphan, report, EncodedMessage.of("/gone/dev-9/properties/report", "{}"));

        // THEN the stage fails naming the product, and nothing is stored, logged or published
        assertThat(done).failsWithin(WAIT).withThrowableOfType(Exception.class).withMessageContaining("product gone");
        assertThat(effects.stored).isEmpty();
        assertThat(effects.logged).isEmpty();
        assertThat(effects.published).isEmpty();
    }

    record Stored(String deviceId, Map<String, Object> values, long timestamp) {
    }

    record LogEntry(LogType type, String deviceId, String productId, String messageType, String messageId, String topic, String raw,
                    String decoded, String detail) {
    }

    /** Records every effect; storage and the log commit at once unless a test says otherwise. */
    static final class RecordingEffects implements UplinkEffects {
        final Map<String, ThingModel> models = new ConcurrentHashMap<>();
        final List<Stored> stored = new CopyOnWriteArrayList<>();
        final List<LogEntry> logged = new CopyOnWriteArrayList<>();
        final List<DeviceMessage> delivered = new CopyOnWriteArrayList<>();
        final List<DeviceReply> completed = new CopyOnWriteArrayList<>();
        final List<DeviceMessage> published = new CopyOnWriteArrayList<>();
        volatile Supplier<CompletableFuture<Boolean>> storeResult = () -> CompletableFuture.completedFuture(true);
        volatile Supplier<CompletableFuture<Void>> logResult = () -> CompletableFuture.completedFuture(null);

        @Override
        public ThingModel thingModel(String productId) {
            return Optional.ofNullable(models.get(productId)).orElseThrow(() -> ThingportException.notFound("product", productId));
        }

        @Override
        public CompletableFuture<Boolean> store(DeviceSession session, DeviceMessage m, EncodedMessage raw) {
            UplinkRoute.properties(m).ifPresent(props -> stored.add(new Stored(m.deviceId(), props, m.timestamp())));
            logged.add(new LogEntry(LogType.UPLINK, m.deviceId(), m.productId(), m.type().topicSuffix(), m.messageId(), raw.topic(),
                    new String(raw.payload(), StandardCharsets.UTF_8), Json.write(m), ""));
            return storeResult.get();
        }

        @Override
        public CompletableFuture<Void> log(LogType type, String deviceId, String productId, String messageType, String messageId,
                                           String topic, String raw, String decoded, String detail) {
            logged.add(new LogEntry(type, deviceId, productId, messageType, messageId, topic, raw, decoded, detail));
            return logResult.get();
        }

        @Override
        public CompletableFuture<Void> deliver(DeviceSession session, DeviceMessage message) {
            delivered.add(message);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void complete(DeviceReply reply) {
            completed.add(reply);
        }

        @Override
        public void publish(DeviceMessage message) {
            published.add(message);
        }
    }
}
