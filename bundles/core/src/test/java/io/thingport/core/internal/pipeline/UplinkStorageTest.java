package io.thingport.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.LogType;
import io.thingport.api.device.NewDevice;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.core.internal.alarms.AlarmServiceImpl;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.gateway.TestSessions;
import io.thingport.core.internal.registry.RegistryFixture;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An uplink's storage on H2 and PostgreSQL with the real device log and registry (issue 11.15): one uplink is one transaction, a
 * resend is stored once, and a write in flight for a deleted (or re-created) device stores nothing.
 */
@Tag("storage")
class UplinkStorageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RegistryFixture fixture;
    private PlatformUplinkEffects effects;
    private DeviceSession session;

    @BeforeEach
    void setUp() {
        fixture = new RegistryFixture();
        fixture.product(false);
        fixture.devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        effects = new PlatformUplinkEffects(fixture.products, fixture.devices, fixture.log, fixture.storage, null, null,
                new AlarmServiceImpl(fixture.storage));
        session = TestSessions.session("dev-1", "p1");
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private static ReportProperties report(String messageId, long ts, Map<String, Object> values) {
        return new ReportProperties(MessageHeader.of(messageId, "p1", "dev-1", ts), values);
    }

    private CompletableFuture<Boolean> store(ReportProperties m) {
        return effects.store(session, m, EncodedMessage.of("/p1/dev-1/properties/report", "{}"));
    }

    private int rows(String table) {
        return fixture.storage.query("SELECT COUNT(*) FROM " + table + " WHERE device_id = 'dev-1'", rs -> rs.getInt(1)).get(0);
    }

    /** Holds the writer until the returned latch is counted down, so that the next writes queue up into one batch. */
    private CountDownLatch occupyWriter() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inside = new CountDownLatch(1);
        fixture.storage.submit(c -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void anUplinkWhosePropertyRowFailsStoresNeitherItsLogEntryNorItsOtherProperties() throws Exception {
        // Verifies that the log entry and every property row of one uplink commit together or not at all, also when
        // the uplink shares a batch with good ones that must still be stored.
        // GIVEN a good uplink, an uplink with one property row the database refuses (a name longer than its column),
        // and another good one, queued into one batch
        CountDownLatch release = occupyWriter();
        CompletableFuture<Boolean> good1 = store(report("g1", 1000, Map.of("temp", 20.0)));
        // (a value longer than the report column holds: its row fails, and with it the whole uplink)
        CompletableFuture<Boolean> bad = store(report("b1", 1001, Map.of("temp", 21.0, "note", "x".repeat(1_000_001))));
        CompletableFuture<Boolean> good2 = store(report("g2", 1002, Map.of("temp", 22.0)));

        // WHEN the writer runs them
        release.countDown();

        // THEN the good ones are stored whole, and of the bad one nothing: no log entry, no temp row
        assertThat(good1).succeedsWithin(WAIT).isEqualTo(true);
        assertThat(good2).succeedsWithin(WAIT).isEqualTo(true);
        assertThat(bad).failsWithin(WAIT);
        assertThat(fixture.log.recent("dev-1", 10)).extracting(DeviceLogEntry::messageId).containsExactly("g1", "g2");
        assertThat(rows("property_report")).isEqualTo(2);
    }

    @Test
    void aResentMessageIsStoredOnceAndAnsweredAsStoredBefore() throws Exception {
        // Verifies the idempotency key: the same message (device, message id, timestamp) sent again, in the same batch
        // or later, is acknowledged without a second log entry or property row; another id or time is a new message.
        // GIVEN a report stored once
        assertThat(store(report("m1", 5000, Map.of("temp", 20.0, "led", true)))).succeedsWithin(WAIT).isEqualTo(true);

        // WHEN it is sent again, twice in one batch, and a different message after
        assertThat(store(report("m1", 5000, Map.of("temp", 20.0, "led", true)))).succeedsWithin(WAIT).isEqualTo(false);
        CountDownLatch release = occupyWriter();
        CompletableFuture<Boolean> again = store(report("m1", 5000, Map.of("temp", 20.0, "led", true)));
        CompletableFuture<Boolean> other = store(report("m1", 6000, Map.of("temp", 21.0)));
        release.countDown();

        // THEN the database holds the first copy once and the other message
        assertThat(again).succeedsWithin(WAIT).isEqualTo(false);
        assertThat(other).succeedsWithin(WAIT).isEqualTo(true);
        assertThat(rows("device_log")).isEqualTo(2);
        assertThat(rows("property_report")).as("one report per message, all its values together").isEqualTo(2);
    }

    @Test
    void messagesWithoutAnIdAreAllStored() {
        // Verifies that without a message id there is no key: two equal messages are two messages.
        assertThat(store(report("", 7000, Map.of("temp", 20.0)))).succeedsWithin(WAIT).isEqualTo(true);
        assertThat(store(report("", 7000, Map.of("temp", 20.0)))).succeedsWithin(WAIT).isEqualTo(true);
        assertThat(rows("device_log")).isEqualTo(2);
    }

    @Test
    void aWriteInFlightForADeletedDeviceIsRefusedAndLeavesNoOrphans() throws Exception {
        // Verifies that an uplink queued before its device was deleted stores nothing, and that a device re-created
        // with the same id starts empty even when an old session's write arrives after.
        // GIVEN an uplink of the device queued behind a busy writer, then the device deleted
        CountDownLatch release = occupyWriter();
        CompletableFuture<Boolean> inFlight = store(report("late", 8000, Map.of("temp", 20.0)));
        Thread deleter = new Thread(() -> fixture.devices.deleteDevice("dev-1"));
        deleter.start();

        // WHEN the writer runs the uplink, then the delete
        release.countDown();
        deleter.join(10_000);

        // THEN ... the uplink ran before the delete (queued first), and the delete removed it with the device
        assertThat(inFlight).succeedsWithin(WAIT);
        assertThat(rows("device_log")).isZero();
        assertThat(rows("property_report")).isZero();

        // AND an uplink of the old session after the delete is refused with NOT_FOUND, storing nothing
        assertThat(store(report("after", 9000, Map.of("temp", 20.0)))).failsWithin(WAIT).withThrowableThat()
                .havingRootCause().isInstanceOfSatisfying(ThingportException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.getMessage()).contains("dev-1").contains("nothing was stored");
                });
        assertThat(rows("device_log")).isZero();

        // AND once the device is re-created, a write of the old session is still refused: the new device starts empty
        Thread.sleep(5);
        fixture.devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        assertThat(store(report("old-session", 9500, Map.of("temp", 20.0)))).failsWithin(WAIT);
        assertThat(rows("device_log")).isZero();
        assertThat(rows("property_report")).isZero();
        session = TestSessions.session("dev-1", "p1");
        assertThat(store(report("new-session", 9600, Map.of("temp", 20.0)))).succeedsWithin(WAIT).isEqualTo(true);
        assertThat(rows("property_report")).isEqualTo(1);
    }

    @Test
    void deletingADeviceRemovesItsHistoryAndLogInOneTransaction() {
        // Verifies that device deletion leaves no rows behind in either table.
        assertThat(store(report("m1", 1000, Map.of("temp", 20.0)))).succeedsWithin(WAIT);
        fixture.log.write(LogType.ONLINE, "dev-1", "p1", "online", "", "", "", "", "hi").join();
        assertThat(rows("device_log")).isEqualTo(2);
        fixture.devices.deleteDevice("dev-1");
        assertThat(rows("device_log")).isZero();
        assertThat(rows("property_report")).isZero();
    }

    @Test
    void aFullStorageQueueRefusesDeviceWritesWithUnavailable() throws Exception {
        // Verifies the bound of the storage queue (issue 11.8): beyond writer.maxQueuedWrites device writes waiting, a
        // new one fails at once with UNAVAILABLE and stores nothing; operator work is not refused.
        fixture.storage.close();
        fixture.storage = new Storage(fixture.dataSource, new StorageConfiguration(
                Map.of("writer.maxQueuedWrites", "3")));
        effects = new PlatformUplinkEffects(fixture.products, fixture.devices, fixture.log, fixture.storage, null, null,
                new AlarmServiceImpl(fixture.storage));
        CountDownLatch release = occupyWriter();
        List<CompletableFuture<Boolean>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(store(report("q" + i, 1000 + i, Map.of("temp", 20.0))));
        }
        CompletableFuture<Boolean> refused = store(report("q3", 2000, Map.of("temp", 20.0)));
        assertThat(refused).isCompletedExceptionally();
        assertThat(refused).failsWithin(WAIT).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(ThingportException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("3 writes waiting");
                });
        CompletableFuture<Object> operatorWork = fixture.storage.submit(c -> "ok");
        release.countDown();
        queued.forEach(f -> assertThat(f).succeedsWithin(WAIT));
        assertThat(operatorWork).succeedsWithin(WAIT).isEqualTo("ok");
        assertThat(rows("device_log")).isEqualTo(3);
    }
}
