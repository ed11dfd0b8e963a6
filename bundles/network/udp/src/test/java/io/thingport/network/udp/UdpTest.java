package io.thingport.network.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import io.thingport.network.testkit.RecordingListener;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The UDP component against real datagram sockets on 127.0.0.1, with a scripted platform behind it. */
class UdpTest {
    private static final int WAIT = 10_000;

    private final RecordingListener listener = new RecordingListener();
    private NetworkComponent server;

    @BeforeEach
    void start() {
        server = start("test", Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private NetworkComponent start(String id, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0"));
        p.putAll(extra);
        return new UdpProvider().start(new NetworkComponentConfig(id, "udp", p), listener);
    }

    private Devices.Plain device() {
        return new Devices.Plain(server.boundAddress());
    }

    /** A device that logged in as {@code deviceId}. */
    private Devices.Plain loggedIn(String deviceId) {
        Devices.Plain d = device();
        d.send("login " + deviceId + " good");
        assertThat(d.receive(WAIT)).isEqualTo("auth ok");
        return d;
    }

    private TransportConnection connectionOf(Devices.Plain d) {
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> listener.connections.stream().anyMatch(c -> c.remoteAddress().equals(d.address())));
        return listener.connections.stream().filter(c -> c.remoteAddress().equals(d.address())).findFirst().orElseThrow();
    }

    @Test
    void providerDescribesItself() {
        // Verifies the type name and transport the platform registers the provider under.
        assertThat(new UdpProvider().type()).isEqualTo("udp");
        assertThat(new UdpProvider().transport()).isEqualTo(Transport.UDP);
    }

    @Test
    void loginDatagramThenReportsReachThePlatform() {
        // Verifies the frame login (first datagram, reply first) and that later datagrams are uplinks with an empty topic.
        try (Devices.Plain d = loggedIn("dev-1")) {
            AuthRequest login = listener.logins.get(0);
            assertThat(login.transport()).isEqualTo(Transport.UDP);
            assertThat(new String(login.frame(), StandardCharsets.UTF_8)).isEqualTo("login dev-1 good");
            assertThat(login.remoteAddress()).isEqualTo(d.address());
            assertThat(login.certificates()).isEmpty();
            TransportConnection c = connectionOf(d);
            assertThat(c.transport()).isEqualTo(Transport.UDP);
            assertThat(c.isOpen()).isTrue();
            d.send("{\"temperature\":21.5}").send("{\"temperature\":22}");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 2);
            assertThat(listener.texts()).containsExactly("{\"temperature\":21.5}", "{\"temperature\":22}");
            assertThat(listener.received.get(0).message().topic()).isEmpty();
            assertThat(listener.received.get(0).connection()).isSameAs(c);
            assertThat(server.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void downlinkIsOneDatagramToTheDevicesAddress() throws Exception {
        // Verifies TransportConnection.send: the payload (topic ignored) arrives as one datagram; the stage completes.
        try (Devices.Plain d = loggedIn("dev-1")) {
            TransportConnection c = connectionOf(d);
            c.send(EncodedMessage.of("/ignored/topic", "{\"cmd\":\"reboot\"}")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(d.receive(WAIT)).isEqualTo("{\"cmd\":\"reboot\"}");
        }
    }

    @Test
    void refusedLoginGetsTheReplyAndTheAddressIsForgotten() {
        // Verifies a refused login: reply datagram, nothing connected, and the address's next datagram is a new login.
        try (Devices.Plain d = device()) {
            d.send("login dev-1 wrong");
            assertThat(d.receive(WAIT)).isEqualTo("auth refused");
            assertThat(server.connectionCount()).isZero();
            assertThat(listener.connections).isEmpty();
            // Sent right after the reply: the address is already forgotten, so this is a new login.
            d.send("login dev-1 good");
            assertThat(d.receive(WAIT)).isEqualTo("auth ok");
            assertThat(listener.logins).hasSize(2);
        }
    }

    @Test
    void garbageFromAnUnknownAddressIsRefusedAndOthersKeepWorking() {
        // Verifies that random bytes are only ever a refused login and the component keeps serving other devices.
        byte[] junk = new byte[200];
        new Random(7).nextBytes(junk);
        try (Devices.Plain garbage = device(); Devices.Plain good = device()) {
            garbage.send(junk);
            assertThat(garbage.receive(WAIT)).isEqualTo("auth refused");
            garbage.send(new byte[0]);
            assertThat(garbage.receive(300)).as("an empty datagram is no login").isNull();
            assertThat(listener.logins).hasSize(1);
            good.send("login dev-2 good");
            assertThat(good.receive(WAIT)).isEqualTo("auth ok");
            good.send("hello");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.texts().equals(List.of("hello")));
        }
    }

    @Test
    void oversizedDatagramIsDroppedAndTheSessionIsUnaffected() {
        // Verifies maxMessageLength (1024): a larger datagram is dropped (also as a login), the session goes on.
        try (Devices.Plain stranger = device()) {
            stranger.send(("login dev-9 good " + "x".repeat(1100)).getBytes(StandardCharsets.UTF_8));
            assertThat(stranger.receive(500)).isNull();
            assertThat(listener.logins).isEmpty();
        }
        try (Devices.Plain d = loggedIn("dev-1")) {
            d.send("x".repeat(1025)).send("x".repeat(60_000)).send("y".repeat(1024));
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 1);
            assertThat(listener.texts()).containsExactly("y".repeat(1024));
            assertThat(connectionOf(d).isOpen()).isTrue();
            assertThat(listener.disconnects).isEmpty();
        }
    }

    @Test
    void aRefusalLargerThanTheLoginIsNotAnswered() {
        // Verifies the reflection guard: a 4-byte datagram (from a possibly spoofed address) gets no 12-byte reply.
        try (Devices.Plain tiny = device()) {
            tiny.send("abcd");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.logins.size() == 1);
            assertThat(tiny.receive(1000)).as("no reply larger than the request").isNull();
        }
        assertThat(UdpComponent.mayAnswerRefusal(12, 12)).isTrue();
        assertThat(UdpComponent.mayAnswerRefusal(11, 12)).isFalse();
    }

    @Test
    void aFloodOfLoginsFromManyAddressesKeepsAtMostMaxPendingLogins() throws Exception {
        // Verifies that sources the platform has not answered yet (perhaps spoofed) cannot pile up state: beyond
        // MAX_PENDING_LOGINS, datagrams from new addresses are dropped without a login check.
        AtomicInteger checks = new AtomicInteger();
        TransportListener unanswered = new TransportListener() {
            @Override
            public CompletionStage<AuthResult> authenticate(AuthRequest request) {
                checks.incrementAndGet();
                return new CompletableFuture<>(); // the platform never answers
            }

            @Override
            public void connected(TransportConnection connection, AuthResult result) {
            }

            @Override
            public CompletionStage<Void> received(TransportConnection connection, EncodedMessage message) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public boolean maySubscribe(TransportConnection connection, String topicFilter) {
                return false;
            }

            @Override
            public void disconnected(TransportConnection connection, String reason) {
            }
        };
        NetworkComponent flooded = new UdpProvider().start(new NetworkComponentConfig("flooded", "udp",
                Map.of("host", "127.0.0.1", "port", "0")), unanswered);
        int max = UdpComponent.MAX_PENDING_LOGINS;
        List<DatagramSocket> sources = new ArrayList<>();
        try {
            byte[] login = "login dev-x good".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < max + 100; i++) {
                DatagramSocket source = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                sources.add(source);
                source.send(new DatagramPacket(login, login.length, flooded.boundAddress()));
                if (i % 50 == 49) {
                    Thread.sleep(20); // paced: a burst would overflow the socket's receive buffer instead
                }
            }
            await().atMost(20, TimeUnit.SECONDS).until(() -> checks.get() >= max);
            await().during(500, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> checks.get() == max);
            assertThat(flooded.connectionCount()).isEqualTo(max);
        } finally {
            sources.forEach(DatagramSocket::close);
            flooded.close();
        }
    }

    @Test
    void datagramsSentDuringTheLoginCheckAreHeldAndDeliveredInOrder() {
        // Verifies that uplinks arriving while the login is checked wait and follow it, in order.
        CountDownLatch release = new CountDownLatch(1);
        listener.auth = request -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RecordingListener.defaultAuth(request);
        };
        try (Devices.Plain d = device()) {
            d.send("login dev-1 good").send("1").send("2").send("3");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.logins.size() == 1);
            await().during(300, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> listener.received.isEmpty());
            release.countDown();
            assertThat(d.receive(WAIT)).isEqualTo("auth ok");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 3);
            assertThat(listener.texts()).containsExactly("1", "2", "3");
        }
    }

    @Test
    void beyondMaxInflightDatagramsOfAnAddressAreDropped() {
        // Verifies the bound on datagrams being stored per address (no back-pressure on UDP: the excess is dropped).
        server.close();
        server = start("inflight", Map.of("maxInflight", "2"));
        listener.gate = new CompletableFuture<>();
        try (Devices.Plain d = loggedIn("dev-1"); Devices.Plain other = loggedIn("dev-2")) {
            for (int i = 0; i < 5; i++) {
                d.send("m" + i);
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 2);
            await().during(300, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> listener.received.size() == 2);
            assertThat(listener.texts()).containsExactly("m0", "m1");
            other.send("o1");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 3);
            listener.gate.complete(null);
            d.send("m5");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 4);
            assertThat(listener.texts()).containsExactly("m0", "m1", "o1", "m5");
        }
    }

    @Test
    void forbiddenMessageClosesTheSession() {
        // Verifies FORBIDDEN: the session closes ("forbidden: ..."); the address's next datagram is a login again.
        try (Devices.Plain d = loggedIn("dev-1")) {
            d.send("/forbidden topic");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.disconnects.equals(List.of("forbidden: not yours")));
            assertThat(server.connectionCount()).isZero();
            assertThat(listener.connections.get(0).isOpen()).isFalse();
            d.send("{\"after\":true}");
            assertThat(d.receive(WAIT)).isEqualTo("auth refused");
            assertThat(listener.received).hasSize(1);
        }
    }

    @Test
    void storageFailureClosesTheSession() {
        // Verifies that a message the platform could not store closes the session with a reason naming the error.
        listener.gate = CompletableFuture.failedFuture(new ThingportException(ErrorCode.INTERNAL, "disk full"));
        try (Devices.Plain d = loggedIn("dev-1")) {
            d.send("{}");
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> listener.disconnects.equals(List.of("the platform could not store a message: disk full")));
        }
    }

    @Test
    void aDatagramThePlatformDidNotTakeIsDroppedUnansweredAndTheSessionStays() {
        // Verifies UNAVAILABLE (the platform at its bound) on UDP: no answer, no close; the next datagram is a message
        // of the same session, not a new login.
        // GIVEN a session, a platform that refuses the next datagram as being at its bound and answers what it takes
        listener.reply = m -> EncodedMessage.of("", "ack " + m.payloadAsText());
        try (Devices.Plain d = loggedIn("dev-1")) {
            listener.unavailable.set(1);

            // WHEN the device sends a datagram, then (having got no answer) sends it again
            d.send("m1");
            String answerToTheRefused = d.receive(1000);
            d.send("m1");

            // THEN the refused one got no answer, the second was taken on the same session and answered
            assertThat(answerToTheRefused).isNull();
            assertThat(d.receive(WAIT)).isEqualTo("ack m1");
            assertThat(listener.texts()).containsExactly("m1", "m1");
            assertThat(listener.received.get(0).connection()).isSameAs(listener.received.get(1).connection());
            assertThat(listener.logins).hasSize(1);
            assertThat(listener.disconnects).isEmpty();
            assertThat(server.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void emptyDatagramsKeepTheSessionAliveWithoutBeingDelivered() {
        // Verifies keep-alives: empty datagrams refresh the idle timer (idleTimeout 2 s) and never reach the platform.
        server.close();
        server = start("keepalive", Map.of("idleTimeout", "2"));
        try (Devices.Plain d = loggedIn("dev-1")) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < end) {
                d.send(new byte[0]);
                assertThat(d.receive(500)).isNull();
            }
            assertThat(listener.disconnects).isEmpty();
            assertThat(listener.received).isEmpty();
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.disconnects.equals(List.of("no datagram for 2 s")));
        }
    }

    @Test
    void aSecondLoginDatagramFromAnOpenSessionIsAMessage() {
        // Verifies the documented choice: once logged in, every datagram of the address is an uplink, even a login.
        try (Devices.Plain d = loggedIn("dev-1")) {
            d.send("login dev-1 good");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 1);
            assertThat(listener.texts()).containsExactly("login dev-1 good");
            assertThat(listener.logins).hasSize(1);
            assertThat(d.receive(300)).isNull();
        }
    }

    @Test
    void idleSessionClosesAndTheDeviceGoesOffline() {
        // Verifies idleTimeout: no datagram for 1 s -> disconnected, downlinks fail DEVICE_OFFLINE.
        server.close();
        server = start("idle", Map.of("idleTimeout", "1"));
        try (Devices.Plain d = loggedIn("dev-1")) {
            TransportConnection c = connectionOf(d);
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.disconnects.equals(List.of("no datagram for 1 s")));
            assertThat(server.connectionCount()).isZero();
            assertThatThrownBy(() -> c.send(EncodedMessage.of("", "x")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEVICE_OFFLINE));
        }
    }

    @Test
    void twoDevicesOnDifferentPortsAreIndependent() throws Exception {
        // Verifies that sessions are per address: uplinks and downlinks stay with their device; closing one leaves the other.
        try (Devices.Plain a = loggedIn("dev-a"); Devices.Plain b = loggedIn("dev-b")) {
            TransportConnection ca = connectionOf(a);
            TransportConnection cb = connectionOf(b);
            assertThat(ca).isNotSameAs(cb);
            a.send("from a");
            b.send("from b");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 2);
            assertThat(listener.received).allMatch(r -> r.connection() == (r.text().equals("from a") ? ca : cb));
            cb.send(EncodedMessage.of("", "to b")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(b.receive(WAIT)).isEqualTo("to b");
            assertThat(a.receive(300)).isNull();
            ca.close("test closes a");
            assertThat(listener.disconnects).containsExactly("test closes a");
            b.send("still here");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.texts().contains("still here"));
            assertThat(cb.isOpen()).isTrue();
            assertThat(server.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void closeReportsEverySessionDisconnectedAndFreesThePort() throws Exception {
        // Verifies close(): each connected session reported once with the component's reason; the port is free at once.
        try (Devices.Plain a = loggedIn("dev-a"); Devices.Plain b = loggedIn("dev-b")) {
            int port = server.boundAddress().getPort();
            server.close();
            assertThat(listener.disconnects).containsExactly("network component test stopped", "network component test stopped");
            assertThat(listener.connections).allMatch(c -> !c.isOpen());
            try (DatagramSocket again = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
            server.close();
            assertThat(listener.disconnects).hasSize(2);
        }
    }

    @Test
    void portIsRequiredAndAPortInUseIsAConflict() throws Exception {
        // Verifies the port key: required (no default), and a taken port fails start with CONFLICT naming it.
        assertThatThrownBy(() -> new UdpProvider().start(new NetworkComponentConfig("noport", "udp", Map.of("host", "127.0.0.1")),
                listener))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("network component noport: port is required (a UDP port, 0 picks a free one)");
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> start("clash", Map.of("port", String.valueOf(port))))
                    .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining("network component clash").hasMessageContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedNamingTheKey() {
        // Verifies key checking: unknown key, bad numbers, PSK halves, clientAuth without a certificate.
        assertThatThrownBy(() -> start("bad", Map.of("authTimeout", "5")))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("network component bad").hasMessageContaining("unknown key 'authTimeout'");
        assertThatThrownBy(() -> start("bad", Map.of("maxMessageLength", "0"))).hasMessageContaining("maxMessageLength");
        assertThatThrownBy(() -> start("bad", Map.of("maxInflight", "x"))).hasMessageContaining("maxInflight");
        assertThatThrownBy(() -> start("bad", Map.of("idleTimeout", "0"))).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> start("bad", Map.of("port", "-1"))).hasMessageContaining("port");
        assertThatThrownBy(() -> start("bad", Map.of("pskIdentity", "id"))).hasMessageContaining("pskKey");
        assertThatThrownBy(() -> start("bad", Map.of("pskIdentity", "id", "pskKey", "0xzz"))).hasMessageContaining("pskKey");
        assertThatThrownBy(() -> start("bad", Map.of("clientAuth", "optional"))).hasMessageContaining("clientAuth");
        assertThatThrownBy(() -> start("bad", Map.of("host", "no-such-host.invalid"))).hasMessageContaining("host");
    }
}
