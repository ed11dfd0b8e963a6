package io.thingport.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.AlarmPage;
import io.thingport.api.device.AlarmQuery;
import io.thingport.api.device.AlarmService;
import io.thingport.api.device.DeviceAlarm;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.NewProduct;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.model.PropertyKind;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.core.internal.alarms.AlarmServiceImpl;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.gateway.TestSessions;
import io.thingport.core.internal.json.ThingModelJson;
import io.thingport.core.internal.registry.RegistryFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Alarm and fault transitions recorded with the reports that make them, on H2 and PostgreSQL. */
@Tag("storage")
class AlarmStorageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String MODEL = """
            {"properties":[
              {"id":"temp","type":"float"},
              {"id":"overheat","type":"bool","kind":"alarm"},
              {"id":"errorCode","type":"int","kind":"fault"}]}
            """;

    private RegistryFixture fixture;
    private AlarmServiceImpl alarms;
    private DeviceEventBusImpl events;
    private AutoCloseable subscription;
    private PlatformUplinkEffects effects;
    private DeviceSession session;
    private final List<DeviceEvent> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        fixture = new RegistryFixture();
        fixture.products.createProduct(new NewProduct("boiler", null, null, null, false, ThingModelJson.parse(MODEL)));
        fixture.devices.createDevice(new NewDevice("b1", "boiler", null, null));
        alarms = new AlarmServiceImpl(fixture.storage);
        events = new DeviceEventBusImpl();
        subscription = events.subscribe("/device/+/+/event/" + AlarmService.EVENT_ID, (topic, m) -> published.add((DeviceEvent) m));
        effects = new PlatformUplinkEffects(fixture.products, fixture.devices, fixture.log, fixture.storage, null, events, alarms);
        session = TestSessions.session("b1", "boiler");
    }

    @AfterEach
    void tearDown() throws Exception {
        subscription.close();
        fixture.close();
    }

    private boolean store(String messageId, long ts, Map<String, Object> values) {
        ReportProperties m = new ReportProperties(MessageHeader.of(messageId, "boiler", "b1", ts), values);
        return effects.store(session, m, EncodedMessage.of("/boiler/b1/properties/report", "{}")).join();
    }

    private List<DeviceAlarm> all() {
        return alarms.listAlarms(new AlarmQuery("b1", null, false, null, null, null, 100)).alarms();
    }

    @Test
    void aReportRaisesAndALaterOneClearsAnAlarm() {
        // Verifies the raise/clear transitions: one row per alarm, cleared with the clearing report's time, each
        // transition published on the event topic once.
        // GIVEN a device that reports overheat true, then true again, then false
        store("m1", 1000, Map.of("temp", 90.0, "overheat", true));
        store("m2", 2000, Map.of("overheat", true));
        // WHEN the third report clears it
        store("m3", 3000, Map.of("overheat", false, "temp", 40.0));
        // THEN there is one alarm, raised at 1000, cleared at 3000
        assertThat(all()).singleElement().satisfies(a -> {
            assertThat(a.property()).isEqualTo("overheat");
            assertThat(a.kind()).isEqualTo(PropertyKind.ALARM);
            assertThat(a.value()).isEqualTo("true");
            assertThat(a.raisedAt().toEpochMilli()).isEqualTo(1000);
            assertThat(a.clearedAt().toEpochMilli()).isEqualTo(3000);
            assertThat(a.active()).isFalse();
        });
        // AND a raised and a cleared event were published, in that order
        Awaitility.await().atMost(WAIT).until(() -> published.size() == 2);
        assertThat(published).extracting(e -> (Object) ((Map<?, ?>) e.data()).get("state")).containsExactly("raised", "cleared");
        assertThat(published.get(0).deviceId()).isEqualTo("b1");
    }

    @Test
    void aResentReportRecordsNoTransitionTwice() {
        // Verifies that the alarm row follows the report's idempotency: a resend (same id and timestamp) raises nothing again.
        // GIVEN a report raising a fault, stored
        assertThat(store("m1", 1000, Map.of("errorCode", 7L))).isTrue();
        // WHEN the device sends it again, and then a report clears it, and that one is resent too
        assertThat(store("m1", 1000, Map.of("errorCode", 7L))).isFalse();
        assertThat(store("m2", 2000, Map.of("errorCode", 0L))).isTrue();
        assertThat(store("m2", 2000, Map.of("errorCode", 0L))).isFalse();
        // AND the fault comes back
        store("m3", 3000, Map.of("errorCode", 9L));
        // THEN there are two faults, the newest active, each recorded once
        assertThat(all()).extracting(DeviceAlarm::value, DeviceAlarm::active)
                .containsExactly(tuple("9", true), tuple("7", false));
        assertThat(alarms.listAlarms(new AlarmQuery(null, "boiler", true, null, null, null, 10)).alarms()).hasSize(1);
    }

    @Test
    void theActiveStateSurvivesARestart() {
        // Verifies that the state is the table's: after a restart a report that clears the alarm clears the stored one.
        // GIVEN an alarm raised before a restart
        store("m1", 1000, Map.of("overheat", true));
        fixture.restart();
        alarms = new AlarmServiceImpl(fixture.storage);
        effects = new PlatformUplinkEffects(fixture.products, fixture.devices, fixture.log, fixture.storage, null, events, alarms);
        // WHEN the device reports it clear
        store("m2", 2000, Map.of("overheat", false));
        // THEN the one alarm is cleared, and no new one was raised
        assertThat(all()).singleElement().extracting(DeviceAlarm::active).isEqualTo(false);
    }

    @Test
    void acknowledgingRecordsWhoAndWhenOnceAndRefusesBadInput() {
        // Verifies acknowledgement: who and when are kept, a second one is a conflict, an unknown id not found.
        // GIVEN a raised alarm
        store("m1", 1000, Map.of("overheat", true));
        long id = all().get(0).id();
        // WHEN an operator acknowledges it
        DeviceAlarm acked = alarms.acknowledge(id, "karaf");
        // THEN it records them, and refuses a second acknowledgement and bad ids
        assertThat(acked.acknowledgedBy()).isEqualTo("karaf");
        assertThat(acked.acknowledgedAt()).isNotNull();
        assertThat(acked.active()).isTrue();
        assertThatThrownBy(() -> alarms.acknowledge(id, "other")).isInstanceOf(ThingportException.class)
                .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("by karaf");
        assertThatThrownBy(() -> alarms.acknowledge(id + 1000, "karaf"))
                .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> alarms.acknowledge(id, " ")).hasMessageStartingWith("by:");
    }

    @Test
    void listsPageByCursorAndRefusesBadQueries() {
        // Verifies cursor paging newest first, and the refusal of a bad limit or time range.
        // GIVEN three alarms (raised, cleared, raised ...)
        store("m1", 1000, Map.of("overheat", true));
        store("m2", 2000, Map.of("overheat", false));
        store("m3", 3000, Map.of("overheat", true));
        store("m4", 4000, Map.of("overheat", false));
        store("m5", 5000, Map.of("overheat", true));
        // WHEN listing two at a time
        AlarmPage first = alarms.listAlarms(new AlarmQuery("b1", null, false, null, null, null, 2));
        AlarmPage second = alarms.listAlarms(new AlarmQuery("b1", null, false, null, null, first.next(), 2));
        // THEN the pages hold the newest two, then the oldest, with no next page
        assertThat(first.alarms()).extracting(a -> a.raisedAt().toEpochMilli()).containsExactly(5000L, 3000L);
        assertThat(second.alarms()).extracting(a -> a.raisedAt().toEpochMilli()).containsExactly(1000L);
        assertThat(second.next()).isNull();
        assertThatThrownBy(() -> alarms.listAlarms(new AlarmQuery(null, null, false, null, null, null, 0)))
                .hasMessageContaining("limit 0 is out of range");
        assertThatThrownBy(() -> alarms.listAlarms(new AlarmQuery(null, null, false, Instant.ofEpochMilli(5),
                Instant.ofEpochMilli(5), null, 10))).hasMessageStartingWith("from:");
    }
}
