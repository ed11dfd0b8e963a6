package io.thingport.rest.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.access.AccessRecord;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.events.EventHub;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WsConnectionTest {
    private static final Caller ALICE = new Caller("alice", Caller.USER, Role.VIEWER, Set.of());

    private final Fakes.Log log = new Fakes.Log();
    private final Fakes.AccessLog accessLog = new Fakes.AccessLog();
    private final Fakes.Peer peer = new Fakes.Peer();
    private final ExecutorService drains = Executors.newCachedThreadPool();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private EventHub hub = new EventHub(log, 64, 100);

    @AfterEach
    void stop() throws InterruptedException {
        hub.close();
        drains.shutdownNow();
        assertThat(drains.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private WsConnection connect(Caller caller, WsServices.Limits limits) {
        WsServices services = new WsServices(hub, log, accessLog, Clock.fixed(Fakes.NOW, ZoneOffset.UTC), nanos::get, drains,
                limits);
        return new WsConnection(new WsPrincipal(caller, "192.0.2.7", Fakes.NOW, nanos.get()), peer, services);
    }

    private WsConnection connect() {
        return connect(ALICE, WsServices.Limits.of(Duration.ofMinutes(60), 100));
    }

    private static WsServices.Limits limits(int outbox, int replayMax) {
        return new WsServices.Limits(16, outbox, Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMinutes(60),
                replayMax);
    }

    @Test
    void subscriptionSendsTheEventsItsFilterSelects() throws Exception {
        // Verifies that a subscription is confirmed, then carries the live events of its filter under its id.
        // GIVEN a connection subscribed to property reports of product p1
        WsConnection c = connect();
        c.onText("{\"type\":\"sub\",\"id\":\"a\",\"product\":\"p1\",\"types\":[\"property\"]}");
        assertThat(peer.next().toString()).isEqualTo("{\"type\":\"subscribed\",\"sub\":\"a\"}");

        // WHEN the platform commits an online event, a report of another product, and a report of p1
        log.commit(Fakes.online(1, "p1", "d1"));
        log.commit(Fakes.property(2, "p2", "d9"));
        log.commit(Fakes.property(3, "p1", "d1"));

        // THEN only the report of p1 is sent, as an event of subscription a
        JsonNode m = peer.next();
        assertThat(m.get("type").asText()).isEqualTo("event");
        assertThat(m.get("sub").asText()).isEqualTo("a");
        assertThat(m.get("event").get("id").asLong()).isEqualTo(3);
        assertThat(m.get("event").get("kind").asText()).isEqualTo("property");
        assertThat(m.get("event").get("deviceId").asText()).isEqualTo("d1");
        assertThat(m.get("event").get("data").get("temperature").asInt()).isEqualTo(3);
        assertThat(c.subscriptions()).isEqualTo(1);
    }

    @Test
    void callerSeesOnlyItsProducts() throws Exception {
        // Verifies that a caller granted some products receives no event of another product, whatever it asks for.
        // GIVEN an application that may see product p1 only, subscribed to everything
        Caller app = new Caller("app1", Caller.APPLICATION, Role.VIEWER, Set.of("p1"));
        connect(app, WsServices.Limits.of(Duration.ofMinutes(60), 100)).onText("{\"type\":\"sub\",\"id\":\"all\"}");
        peer.next();

        // WHEN events of p2 and then of p1 are committed
        log.commit(Fakes.property(1, "p2", "d2"));
        log.commit(Fakes.property(2, "p1", "d1"));

        // THEN the first event it receives is the one of p1
        assertThat(peer.next().get("event").get("productId").asText()).isEqualTo("p1");
    }

    @Test
    void aSecondSubscriptionWithTheSameIdIsAConflict() throws Exception {
        // Verifies that an id in use is refused with conflict, and the first subscription goes on.
        // GIVEN subscription a
        WsConnection c = connect();
        c.onText("{\"type\":\"sub\",\"id\":\"a\",\"types\":[\"property\",\"online\"]}");
        peer.next();

        // WHEN the client subscribes again as a
        c.onText("{\"type\":\"sub\",\"id\":\"a\"}");

        // THEN it is refused naming the id, and one subscription (one stream) remains
        JsonNode m = peer.next();
        assertThat(m.get("type").asText()).isEqualTo("error");
        assertThat(m.get("sub").asText()).isEqualTo("a");
        assertThat(m.get("code").asText()).isEqualTo("conflict");
        assertThat(c.subscriptions()).isEqualTo(1);
        assertThat(hub.size()).isEqualTo(1);
    }

    @Test
    void atMostSixteenSubscriptionsPerConnection() throws Exception {
        // Verifies that the 17th subscription of a connection is refused with rate_limited.
        // GIVEN 16 subscriptions
        WsConnection c = connect();
        for (int i = 1; i <= 16; i++) {
            c.onText("{\"type\":\"sub\",\"id\":\"s" + i + "\"}");
            assertThat(peer.next().get("type").asText()).isEqualTo("subscribed");
        }

        // WHEN a 17th is asked for
        c.onText("{\"type\":\"sub\",\"id\":\"s17\"}");

        // THEN it is refused and no stream is opened for it
        JsonNode m = peer.next();
        assertThat(m.get("code").asText()).isEqualTo("rate_limited");
        assertThat(m.get("message").asText()).contains("16");
        assertThat(hub.size()).isEqualTo(16);
    }

    @Test
    void thePlatformsBoundOnLiveStreamsApplies() throws Exception {
        // Verifies that a subscription beyond maxEventStreams (SSE and WebSocket together) is refused as unavailable.
        // GIVEN a hub that serves one stream, already taken
        hub = new EventHub(log, 1, 100);
        WsConnection c = connect();
        c.onText("{\"type\":\"sub\",\"id\":\"a\"}");
        peer.next();

        // WHEN a second subscription is asked for
        c.onText("{\"type\":\"sub\",\"id\":\"b\"}");

        // THEN it is refused with unavailable
        JsonNode m = peer.next();
        assertThat(m.get("sub").asText()).isEqualTo("b");
        assertThat(m.get("code").asText()).isEqualTo("unavailable");
        assertThat(c.subscriptions()).isEqualTo(1);
    }

    @Test
    void unsubscribeEndsTheStreamAndNothingOfItFollows() throws Exception {
        // Verifies that unsub is confirmed, closes the subscription's stream, and no event of it follows.
        // GIVEN subscriptions a and b on the same events
        WsConnection c = connect();
        c.onText("{\"type\":\"sub\",\"id\":\"a\"}");
        peer.next();
        c.onText("{\"type\":\"sub\",\"id\":\"b\"}");
        peer.next();

        // WHEN a is unsubscribed and an event is committed
        c.onText("{\"type\":\"unsub\",\"id\":\"a\"}");
        assertThat(peer.next().toString()).isEqualTo("{\"type\":\"unsubscribed\",\"sub\":\"a\"}");
        assertThat(hub.size()).isEqualTo(1);
        log.commit(Fakes.property(1, "p1", "d1"));

        // THEN the event arrives for b only
        assertThat(peer.next().get("sub").asText()).isEqualTo("b");
        assertThat(c.subscriptions()).isEqualTo(1);
    }

    @Test
    void unsubscribingAnUnknownIdIsNotFound() throws Exception {
        // Verifies that unsub of an id with no subscription is answered with not_found.
        // GIVEN a connection without subscriptions
        WsConnection c = connect();

        // WHEN it unsubscribes x
        c.onText("{\"type\":\"unsub\",\"id\":\"x\"}");

        // THEN
        JsonNode m = peer.next();
        assertThat(m.get("sub").asText()).isEqualTo("x");
        assertThat(m.get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void aBadMessageIsAnsweredAndTheConnectionStays() throws Exception {
        // Verifies that bad messages (not JSON, unknown event type, binary) get errors and later ones still work.
        // GIVEN a connection
        WsConnection c = connect();

        // WHEN it sends garbage, an unknown event type, a binary message, then a good subscription
        c.onText("{oops");
        c.onText("{\"type\":\"sub\",\"id\":\"a\",\"types\":[\"weather\"]}");
        c.onBinary();
        c.onText("{\"type\":\"sub\",\"id\":\"a\"}");

        // THEN three errors, then the subscription
        assertThat(peer.next().get("code").asText()).isEqualTo("malformed");
        JsonNode type = peer.next();
        assertThat(type.get("code").asText()).isEqualTo("invalid_argument");
        assertThat(type.get("field").asText()).isEqualTo("types");
        assertThat(type.get("sub").asText()).isEqualTo("a");
        assertThat(peer.next().get("code").asText()).isEqualTo("unsupported");
        assertThat(peer.next().get("type").asText()).isEqualTo("subscribed");
        assertThat(peer.closeCode).isNull();
    }

    @Test
    void resumeSendsTheMissedEventsThenTheLiveOnesWithNothingTwice() throws Exception {
        // Verifies that lastEventId replays what was stored after it, then goes on live, skipping what was replayed.
        // GIVEN events 1 to 4 stored
        for (long id = 1; id <= 4; id++) {
            log.store(Fakes.property(id, "p1", "d1"));
        }
        WsConnection c = connect(ALICE, limits(64, 100));

        // WHEN the client resumes after 2, and event 5 commits
        c.onText("{\"type\":\"sub\",\"id\":\"a\",\"lastEventId\":2}");
        assertThat(peer.next().get("type").asText()).isEqualTo("subscribed");
        assertThat(peer.next().get("event").get("id").asLong()).isEqualTo(3);
        assertThat(peer.next().get("event").get("id").asLong()).isEqualTo(4);
        log.commit(Fakes.property(5, "p1", "d1"));

        // THEN 5 follows, once
        assertThat(peer.next().get("event").get("id").asLong()).isEqualTo(5);
        log.commit(Fakes.property(6, "p1", "d1"));
        assertThat(peer.next().get("event").get("id").asLong()).isEqualTo(6);
    }

    @Test
    void anEventCommittedDuringTheReplayIsSentOnce() throws Exception {
        // Verifies that an event both stored and queued live (it committed while the replay was read) is sent once.
        // GIVEN events 1 and 2 stored, and event 3 committing while the replay reads storage
        log.store(Fakes.property(1, "p1", "d1"));
        log.store(Fakes.property(2, "p1", "d1"));
        log.beforeQuery = () -> log.commit(Fakes.property(3, "p1", "d1"));
        WsConnection c = connect(ALICE, limits(64, 100));

        // WHEN the client resumes after 1, and event 4 commits after the replay
        c.onText("{\"type\":\"sub\",\"id\":\"a\",\"lastEventId\":1}");
        assertThat(peer.next().get("type").asText()).isEqualTo("subscribed");
        assertThat(peer.next().get("event").get("id").asLong()).isEqualTo(2);
        assertThat(peer.next().get("event").get("id").asLong()).isEqualTo(3);
        log.beforeQuery = null;
        log.commit(Fakes.property(4, "p1", "d1"));

        // THEN the next event is 4: 3, queued live too, was skipped
        assertThat(peer.next().get("event").get("id").asLong()).isEqualTo(4);
    }

    @Test
    void aResumeThatMissedTooMuchSaysSo() throws Exception {
        // Verifies that a replay cut by eventReplayMax ends with a gap notice.
        // GIVEN 5 stored events and a replay bound of 2
        for (long id = 1; id <= 5; id++) {
            log.store(Fakes.property(id, "p1", "d1"));
        }
        WsConnection c = connect(ALICE, limits(64, 2));

        // WHEN the client resumes after 0
        c.onText("{\"type\":\"sub\",\"id\":\"a\",\"lastEventId\":0}");

        // THEN two events, then a gap
        assertThat(peer.next().get("type").asText()).isEqualTo("subscribed");
        assertThat(peer.next().get("event").get("id").asLong()).isEqualTo(1);
        assertThat(peer.next().get("event").get("id").asLong()).isEqualTo(2);
        JsonNode gap = peer.next();
        assertThat(gap.get("type").asText()).isEqualTo("gap");
        assertThat(gap.get("sub").asText()).isEqualTo("a");
        assertThat(gap.get("message").asText()).contains("more than 2");
    }

    @Test
    void aReplayThatCannotBeReadEndsTheSubscriptionWithAnError() throws Exception {
        // Verifies that a failing storage read is reported for the subscription, whose stream is released.
        // GIVEN a device log that cannot be queried
        log.queryFailure = new IllegalStateException("disk on fire");
        WsConnection c = connect(ALICE, limits(64, 100));

        // WHEN the client resumes
        c.onText("{\"type\":\"sub\",\"id\":\"a\",\"lastEventId\":7}");

        // THEN subscribed, then an internal error, and the subscription is gone
        assertThat(peer.next().get("type").asText()).isEqualTo("subscribed");
        JsonNode m = peer.next();
        assertThat(m.get("code").asText()).isEqualTo("internal");
        assertThat(m.get("sub").asText()).isEqualTo("a");
        Fakes.await(() -> hub.size() == 0 && c.subscriptions() == 0, "the stream released");
    }

    @Test
    void aClientThatFallsBehindIsDroppedThenDisconnected() throws Exception {
        // Verifies that a client that does not read loses its stream (the hub never waits), is told, then closed 1013.
        // GIVEN a client that reads nothing, with an outbox of 1 and streams of at most 2 queued events
        hub = new EventHub(log, 64, 2);
        WsConnection c = connect(ALICE, limits(1, 100));
        c.onText("{\"type\":\"sub\",\"id\":\"a\"}");
        assertThat(peer.next().get("type").asText()).isEqualTo("subscribed");
        peer.hold = true;

        // WHEN 6 events commit (the hub offers each without waiting): more than the stream (2), the outbox (1), the
        // send in flight (1) and the event its thread holds (1) can take
        for (long id = 1; id <= 6; id++) {
            log.commit(Fakes.property(id, "p1", "d1"));
        }
        Fakes.await(() -> hub.size() == 0, "the stream dropped");
        peer.hold = false;
        peer.pending.forEach(done -> done.accept(null));

        // THEN the client is told it was dropped, and the connection is closed with 1013
        JsonNode m = peer.next();
        while (!"dropped".equals(m.get("type").asText())) {
            assertThat(m.get("type").asText()).isEqualTo("event");
            m = peer.next();
        }
        assertThat(m.get("sub").asText()).isEqualTo("a");
        assertThat(m.get("message").asText()).contains("fell more than 2 events behind");
        Fakes.await(() -> peer.closeCode != null, "the close");
        assertThat(peer.closeCode).isEqualTo(WsConnection.TRY_AGAIN_LATER);
        assertThat(c.subscriptions()).isZero();
    }

    @Test
    void aClientThatLeavesAMessageUnreadIsDisconnectedOnTheNextTick() throws Exception {
        // Verifies that a send unfinished past the send timeout closes the connection (1013), else ticks ping.
        // GIVEN a connection whose client reads nothing, with a reply in flight
        WsConnection c = connect();
        c.tick();
        assertThat(peer.pings.get()).isEqualTo(1);
        peer.hold = true;
        c.onText("{\"type\":\"sub\",\"id\":\"a\"}");
        peer.next();

        // WHEN 31 s pass and the connection ticks
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        c.tick();

        // THEN it is closed with 1013 and its stream released, without a second ping
        assertThat(peer.closeCode).isEqualTo(WsConnection.TRY_AGAIN_LATER);
        assertThat(peer.pings.get()).isEqualTo(1);
        Fakes.await(() -> hub.size() == 0, "the stream released");
    }

    @Test
    void theEndOfAConnectionReleasesItsStreamsAndIsRecorded() throws Exception {
        // Verifies that a closed connection releases every stream and is recorded once in the access log.
        // GIVEN a connection with two subscriptions, open for 2.5 s
        WsConnection c = connect();
        c.onText("{\"type\":\"sub\",\"id\":\"a\"}");
        c.onText("{\"type\":\"sub\",\"id\":\"b\"}");
        peer.next();
        peer.next();
        nanos.addAndGet(Duration.ofMillis(2500).toNanos());

        // WHEN the client closes it (and the container reports it twice)
        c.closed(WsConnection.NORMAL);
        c.closed(WsConnection.NORMAL);

        // THEN no stream is left and one access record says who, what, from where, how long
        Fakes.await(() -> hub.size() == 0, "the streams released");
        assertThat(accessLog.records).hasSize(1);
        AccessRecord r = accessLog.records.get(0);
        assertThat(r.channel()).isEqualTo(AccessRecord.CHANNEL_API);
        assertThat(r.principal()).isEqualTo("alice");
        assertThat(r.kind()).isEqualTo(Caller.USER);
        assertThat(r.action()).isEqualTo("WS /api/v1/ws");
        assertThat(r.source()).isEqualTo("192.0.2.7");
        assertThat(r.status()).isEqualTo(101);
        assertThat(r.result()).isEqualTo("ok");
        assertThat(r.durationMs()).isEqualTo(2500);
        assertThat(r.timestamp()).isEqualTo(Fakes.NOW);
    }

    @Test
    void anAbnormalCloseIsRecordedWithItsCode() {
        // Verifies that a connection that ended abnormally is recorded with result ws_<code>.
        // GIVEN a connection
        WsConnection c = connect();

        // WHEN it ends without a close frame (1006)
        c.closed(1006);

        // THEN
        assertThat(accessLog.records).extracting(AccessRecord::result).containsExactly("ws_1006");
    }

    @Test
    void shutdownClosesWithGoingAway() throws Exception {
        // Verifies that the platform's shutdown closes the connection with 1001, releases it and records it.
        // GIVEN a connection with a subscription
        WsConnection c = connect();
        c.onText("{\"type\":\"sub\",\"id\":\"a\"}");
        peer.next();

        // WHEN the API stops
        c.shutdown(WsConnection.GOING_AWAY, "the platform's API is stopping");

        // THEN
        assertThat(peer.closeCode).isEqualTo(WsConnection.GOING_AWAY);
        Fakes.await(() -> hub.size() == 0, "the stream released");
        assertThat(accessLog.records).extracting(AccessRecord::result).containsExactly("ok");
        c.onText("{\"type\":\"sub\",\"id\":\"b\"}");
        assertThat(hub.size()).isZero();
    }

    @Test
    void aClientThatReadsNoRepliesIsDisconnected() throws Exception {
        // Verifies that a reply that finds the outbox full closes the connection instead of queueing without bound.
        // GIVEN a client that reads nothing, with an outbox of 2
        WsConnection c = connect(ALICE, limits(2, 100));
        peer.hold = true;

        // WHEN it sends bad messages faster than it reads the answers
        for (int i = 0; i < 4; i++) {
            c.onText("nope");
        }

        // THEN it is closed with 1013: one answer in flight, two queued, the fourth had no room
        assertThat(peer.closeCode).isEqualTo(WsConnection.TRY_AGAIN_LATER);
        assertThat(peer.received).hasSize(1);
    }
}
