package io.thingport.rest.internal.events;

import static io.thingport.rest.internal.events.FakeDeviceLog.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.LogType;
import io.thingport.rest.internal.auth.Caller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventHubTest {
    private static final Caller ADMIN = new Caller("alice", Caller.USER, Role.ADMIN, Set.of());
    private static final Caller P2_ONLY = new Caller("app-2", Caller.APPLICATION, Role.VIEWER, Set.of("p2"));

    private final FakeDeviceLog log = new FakeDeviceLog();

    @Test
    void oneSubscriptionServesEveryStreamEachByItsFilter() throws Exception {
        // Verifies the fan-out: however many streams, the hub follows the whole device log once, and each entry
        // reaches every stream whose filter (and caller) selects it.
        // GIVEN three streams: everything, online events only, and a caller granted p2 only
        EventHub hub = new EventHub(log, 10, 100);
        EventStream all = hub.open(filter(null, List.of(), ADMIN));
        EventStream online = hub.open(filter(null, List.of("online"), ADMIN));
        EventStream p2 = hub.open(filter(null, List.of(), P2_ONLY));

        // WHEN the device log delivers a p1 report, a p1 online event and a p2 online event
        log.listener().accept(entry(1, LogType.UPLINK, "properties/report", "p1", "d1"));
        log.listener().accept(entry(2, LogType.ONLINE, "online", "p1", "d1"));
        log.listener().accept(entry(3, LogType.ONLINE, "online", "p2", "d2"));

        // THEN the hub subscribed once, to all devices, and each stream got its entries
        assertThat(log.listeners).hasSize(1);
        assertThat(log.followedDevices).containsExactly((String) null);
        assertThat(drain(all)).containsExactly(1L, 2L, 3L);
        assertThat(drain(online)).containsExactly(2L, 3L);
        assertThat(drain(p2)).containsExactly(3L);
        assertThat(hub.size()).isEqualTo(3);
    }

    @Test
    void oneStreamMoreThanTheMaximumIsUnavailableUntilOneCloses() {
        // Verifies the bound on streams: at maxStreams one more is refused with UNAVAILABLE (503) naming the setting;
        // once a stream is closed a new one opens.
        // GIVEN a hub for two streams, both open
        EventHub hub = new EventHub(log, 2, 100);
        EventStream first = hub.open(filter(null, List.of(), ADMIN));
        hub.open(filter(null, List.of(), ADMIN));

        // WHEN a third is opened
        // THEN it is refused
        assertThatThrownBy(() -> hub.open(filter(null, List.of(), ADMIN)))
                .isInstanceOfSatisfying(ThingportException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("2 live event streams", "maxEventStreams");
                });
        assertThat(hub.size()).isEqualTo(2);

        // AND after one closes, another opens
        first.close();
        assertThat(hub.size()).isEqualTo(1);
        assertThatCode(() -> hub.open(filter(null, List.of(), ADMIN))).doesNotThrowAnyException();
        assertThat(hub.size()).isEqualTo(2);
    }

    @Test
    void aClosedStreamReceivesNothingMore() throws Exception {
        // Verifies that a closed stream leaves the hub: later entries go to the other streams only.
        // GIVEN two streams, one of which is closed
        EventHub hub = new EventHub(log, 10, 100);
        EventStream closed = hub.open(filter(null, List.of(), ADMIN));
        EventStream open = hub.open(filter(null, List.of(), ADMIN));
        closed.close();

        // WHEN an entry is delivered
        log.listener().accept(entry(1, LogType.ONLINE, "online", "p1", "d1"));

        // THEN only the open stream has it
        assertThat(closed.poll(Duration.ZERO)).isNull();
        assertThat(drain(open)).containsExactly(1L);
    }

    @Test
    void aStreamThatFallsBehindIsEndedWithoutDisturbingTheOthers() throws Exception {
        // Verifies that the hub never waits for a slow stream: the slow one ends (with its reason), the others keep
        // receiving everything.
        // GIVEN a hub whose streams hold 2 entries, a slow client and a fast one
        EventHub hub = new EventHub(log, 10, 2);
        EventStream slow = hub.open(filter(null, List.of(), ADMIN));
        EventStream fast = hub.open(filter(null, List.of(), ADMIN));

        // WHEN five entries are delivered, the fast client taking each at once
        for (long id = 1; id <= 5; id++) {
            log.listener().accept(entry(id, LogType.ONLINE, "online", "p1", "d1"));
            assertThat(fast.poll(Duration.ZERO).id()).isEqualTo(id);
        }

        // THEN the slow stream has ended with a reason, the fast one runs
        assertThat(slow.endedBecause()).contains("behind");
        assertThat(slow.poll(Duration.ZERO)).isNull();
        assertThat(fast.endedBecause()).isNull();
    }

    @Test
    void whenTheDeviceLogEndsTheSubscriptionEveryStreamEndsAndANewStreamSubscribesAgain() throws Exception {
        // Verifies the onEnd path: the device log ending the hub's listener ends every open stream with a reason
        // (they resume from storage); the next open() follows the log again, and its stream receives new entries.
        // GIVEN two open streams on the hub's first subscription
        EventHub hub = new EventHub(log, 10, 100);
        EventStream a = hub.open(filter(null, List.of(), ADMIN));
        EventStream b = hub.open(filter(null, List.of(), ADMIN));
        log.listener().accept(entry(1, LogType.ONLINE, "online", "p1", "d1"));

        // WHEN the device log ends that subscription
        log.onEnds.get(0).accept("the listener fell 10000 entries behind");

        // THEN both streams have ended with the reason and return nothing, not even what was queued
        for (EventStream s : List.of(a, b)) {
            assertThat(s.endedBecause()).contains("could not keep up", "Last-Event-ID");
            assertThat(s.poll(Duration.ZERO)).isNull();
        }

        // AND a new stream subscribes again and receives what the new subscription delivers
        EventStream c = hub.open(filter(null, List.of(), ADMIN));
        assertThat(log.listeners).hasSize(2);
        log.listener().accept(entry(2, LogType.ONLINE, "online", "p1", "d1"));
        assertThat(drain(c)).containsExactly(2L);
        assertThat(a.poll(Duration.ZERO)).isNull();

        // AND further streams share that second subscription
        hub.open(filter(null, List.of(), ADMIN));
        assertThat(log.listeners).hasSize(2);
    }

    @Test
    void closeEndsEveryStreamAndTheSubscription() throws Exception {
        // Verifies close(): every stream ends with the reason that the API stops, and the device-log subscription
        // is closed once.
        // GIVEN a hub with two streams
        EventHub hub = new EventHub(log, 10, 100);
        EventStream a = hub.open(filter(null, List.of(), ADMIN));
        EventStream b = hub.open(filter(null, List.of(), ADMIN));

        // WHEN the hub is closed, twice
        hub.close();
        hub.close();

        // THEN the streams have ended and the subscription was closed once
        assertThat(a.endedBecause()).isEqualTo("the platform's API is stopping");
        assertThat(b.endedBecause()).isEqualTo("the platform's API is stopping");
        assertThat(a.poll(Duration.ZERO)).isNull();
        assertThat(log.closedSubscriptions).isEqualTo(1);
    }

    @Test
    void closeWithoutStreamsOrWithAFailingSubscriptionDoesNotThrow() {
        // Verifies that close() is safe before any stream was opened and when closing the subscription fails.
        // GIVEN a hub that never subscribed, and one whose subscription fails to close
        EventHub idle = new EventHub(log, 10, 100);
        EventHub failing = new EventHub(log, 10, 100);
        failing.open(filter(null, List.of(), ADMIN));
        log.failOnClose = true;

        // WHEN both are closed
        // THEN neither throws, and only the second had a subscription to close
        assertThatCode(idle::close).doesNotThrowAnyException();
        assertThatCode(failing::close).doesNotThrowAnyException();
        assertThat(log.closedSubscriptions).isEqualTo(1);
    }

    private static EventFilter filter(String productId, List<String> kinds, Caller caller) {
        return EventFilter.of(productId, null, kinds, caller);
    }

    private static List<Long> drain(EventStream s) throws InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (DeviceLogEntry e = s.poll(Duration.ZERO); e != null; e = s.poll(Duration.ZERO)) {
            ids.add(e.id());
        }
        return ids;
    }
}
