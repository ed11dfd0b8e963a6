package io.thingport.network.coap;

import static io.thingport.network.coap.CoapTestClients.send;
import static io.thingport.network.coap.CoapTestClients.token;
import static io.thingport.network.coap.CoapTestClients.withCredentials;
import static io.thingport.network.coap.CoapTestClients.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import io.thingport.network.testkit.RecordingListener;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CoAP server against Californium's CoapClient over real UDP on 127.0.0.1, with a scripted platform behind it. */
class CoapServerTest {
    private static final String REPORT = "/p1/dev-1/properties/report";

    private final RecordingListener listener = new RecordingListener();
    private NetworkComponent server;
    private CoapClient client;
    private String base;

    @BeforeEach
    void start() {
        server = start("test", Map.of());
        base = "coap://127.0.0.1:" + server.boundAddress().getPort();
        client = CoapTestClients.plain();
    }

    @AfterEach
    void stop() {
        CoapTestClients.close(client);
        server.close();
    }

    private NetworkComponent start(String id, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0"));
        p.putAll(extra);
        return new CoapServerProvider().start(new NetworkComponentConfig(id, "coap-server", p), listener);
    }

    private Request post(String path, String payload, String clientId, String password) {
        Request r = Request.newPost();
        r.setURI(base + path);
        r.setPayload(payload);
        r.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        return withCredentials(r, clientId, "u", password);
    }

    private Request get(String path, String clientId, String password) {
        Request r = Request.newGet();
        r.setURI(base + path);
        return withCredentials(r, clientId, "u", password);
    }

    private Request post(String path, String payload, String token) {
        Request r = Request.newPost();
        r.setURI(base + path);
        r.setPayload(payload);
        return withToken(r, token);
    }

    private Request get(String path, String token) {
        Request r = Request.newGet();
        r.setURI(base + path);
        return withToken(r, token);
    }

    /** Logs in (GET with the stand-in's password {@code good}) and returns the session's token. */
    private String login(String clientId) {
        CoapResponse r = send(client, get("/poll", clientId, "good"));
        assertThat(r.getCode()).isEqualTo(ResponseCode.CONTENT);
        return token(r.getResponseText());
    }

    @Test
    void providerDescribesItself() {
        // Verifies the type name and transport the platform registers the provider under.
        assertThat(new CoapServerProvider().type()).isEqualTo("coap-server");
        assertThat(new CoapServerProvider().transport()).isEqualTo(Transport.COAP);
    }

    @Test
    void reportIsStoredThenAnswered204WithJson() {
        // Verifies the uplink path: options -> login -> listener.received(topic = URI path) -> 2.04 with a JSON body.
        CoapResponse response = send(client, post(REPORT, "{\"temperature\":21.5}", "dev-1", "good"));
        assertThat(response).isNotNull();
        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(response.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
        assertThat(response.getResponseText()).isEqualTo("{\"token\":\"" + token(response.getResponseText()) + "\",\"downlinks\":[]}");
        assertThat(listener.received).hasSize(1);
        EncodedMessage m = listener.received.get(0).message();
        assertThat(m.topic()).isEqualTo(REPORT);
        assertThat(m.payloadAsText()).isEqualTo("{\"temperature\":21.5}");
        assertThat(listener.logins).hasSize(1);
        assertThat(listener.logins.get(0).clientId()).isEqualTo("dev-1");
        assertThat(listener.logins.get(0).username()).isEqualTo("u");
        assertThat(new String(listener.logins.get(0).password(), StandardCharsets.UTF_8)).isEqualTo("good");
        assertThat(listener.logins.get(0).transport()).isEqualTo(Transport.COAP);
        assertThat(listener.connections).hasSize(1);
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void aLoginReturnsATokenThatLaterRequestsPresentInsteadOfCredentials() {
        // Verifies the session flow: the login's answer carries the token; POST, PUT and GET with only option 2112 are
        // served by that session without a login, and their answers carry no token.
        CoapResponse login = send(client, post(REPORT, "{\"n\":1}", "dev-1", "good"));
        assertThat(login.getCode()).isEqualTo(ResponseCode.CHANGED);
        String token = token(login.getResponseText());
        CoapResponse next = send(client, post(REPORT, "{\"n\":2}", token));
        assertThat(next.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(next.getResponseText()).isEqualTo("{\"downlinks\":[]}");
        Request put = Request.newPut();
        put.setURI(base + REPORT);
        put.setPayload("{\"n\":3}");
        assertThat(send(client, withToken(put, token)).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(send(client, get("/poll", token)).getCode()).isEqualTo(ResponseCode.CONTENT);
        assertThat(listener.logins).hasSize(1);
        assertThat(listener.received).hasSize(3).extracting(RecordingListener.Received::connection)
                .containsOnly(listener.connections.get(0));
    }

    @Test
    void theSameSignedLoginRepeatedIsRefused() {
        // Verifies that options repeating an accepted login are a login again, which the platform refuses as a replay
        // (the stand-in's signed:<n> rule): a bare 4.01; the first session is untouched.
        CoapResponse first = send(client, post(REPORT, "{\"n\":1}", "dev-1", "signed:1"));
        assertThat(first.getCode()).isEqualTo(ResponseCode.CHANGED);
        CoapResponse replay = send(client, post(REPORT, "{\"n\":2}", "dev-1", "signed:1"));
        assertThat(replay.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(replay.getPayload()).isEmpty();
        assertThat(listener.logins).hasSize(2);
        assertThat(listener.texts()).containsExactly("{\"n\":1}");
        assertThat(send(client, post(REPORT, "{\"n\":3}", token(first.getResponseText()))).getCode()).isEqualTo(ResponseCode.CHANGED);
    }

    @Test
    void aNewLoginReplacesTheSessionAndUnknownOrForeignTokensAre401() {
        // Verifies one session per device: a newer login's token works and the old one is refused with a bare 4.01,
        // like a guessed token and a token of another component (bound to its component).
        String old = token(send(client, post(REPORT, "{}", "dev-1", "signed:1")).getResponseText());
        String current = token(send(client, post(REPORT, "{}", "dev-1", "signed:2")).getResponseText());
        assertThat(listener.disconnects).containsExactly("replaced by a new login");
        CoapResponse stale = send(client, post(REPORT, "{}", old));
        assertThat(stale.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(stale.getPayload()).isEmpty();
        assertThat(send(client, post(REPORT, "{}", "A".repeat(43))).getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        NetworkComponent other = start("other", Map.of());
        try {
            Request foreign = withToken(Request.newPost(), current);
            foreign.setURI("coap://127.0.0.1:" + other.boundAddress().getPort() + REPORT);
            foreign.setPayload("{}");
            CoapResponse refused = send(client, foreign);
            assertThat(refused.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
            assertThat(refused.getPayload()).isEmpty();
        } finally {
            other.close();
        }
        assertThat(send(client, post(REPORT, "{}", current)).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(listener.received).hasSize(3);
        assertThat(listener.logins).hasSize(2);
    }

    @Test
    void aSessionEndsAtItsLifetimeHoweverBusy() {
        // Verifies sessionLifetime: a device using its token every 200 ms is logged out after 1 s and logs in again.
        server.close();
        server = start("lifetime", Map.of("sessionLifetime", "1"));
        base = "coap://127.0.0.1:" + server.boundAddress().getPort();
        String token = login("dev-1");
        await().atMost(15, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> send(client, get("/poll", token)).getCode() == ResponseCode.UNAUTHORIZED);
        await().atMost(15, TimeUnit.SECONDS).until(() -> listener.disconnects.contains("session lifetime of 1.0 s over"));
        assertThat(server.connectionCount()).isZero();
        assertThat(login("dev-1")).isNotEqualTo(token);
    }

    @Test
    void refusedLoginIs401ForBadCredentialsAnd403OtherwiseWithoutABody() {
        // Verifies a bare 4.01 for a bad password and a bare 4.03 for a disabled device (no payload, no options);
        // nothing stored.
        CoapResponse bad = send(client, post(REPORT, "{}", "dev-1", "wrong"));
        assertThat(bad.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(bad.getPayload()).isEmpty();
        assertThat(bad.getOptions().asSortedList()).isEmpty();
        CoapResponse disabled = send(client, post(REPORT, "{}", "dev-1", "disabled"));
        assertThat(disabled.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(disabled.getPayload()).isEmpty();
        assertThat(listener.received).isEmpty();
        assertThat(listener.connections).isEmpty();
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void refusalsOfAnUnknownDeviceAndOfABadSignatureAreByteIdentical() {
        // Verifies that an unauthenticated peer learns nothing: code, options and payload of the answer to an unknown
        // device equal those to a bad signature and to a replayed login.
        send(client, post(REPORT, "{}", "dev-1", "signed:7"));
        List<CoapResponse> answers = List.of(send(client, post(REPORT, "{}", "nobody", "signed:9")),
                send(client, post(REPORT, "{}", "dev-1", "wrong")), send(client, post(REPORT, "{}", "dev-1", "signed:7")));
        for (CoapResponse answer : answers) {
            assertThat(answer.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
            assertThat(answer.getOptions().toString()).isEqualTo(answers.get(0).getOptions().toString());
            assertThat(answer.getPayload()).isEmpty();
        }
    }

    @Test
    void missingCredentialOptionsAreABare401() {
        // Verifies that a request without (or with only some of) the options 2100/2104/2108 never reaches the platform
        // and is answered 4.01 without a payload.
        CoapResponse none = send(client, post(REPORT, "{}", null, null));
        assertThat(none.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(none.getPayload()).isEmpty();
        Request noPassword = Request.newPost();
        noPassword.setURI(base + REPORT);
        withCredentials(noPassword, "dev-1", "u", null);
        CoapResponse partial = send(client, noPassword);
        assertThat(partial.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(partial.getPayload()).isEmpty();
        assertThat(send(client, get("/anything", null, null)).getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(listener.logins).isEmpty();
    }

    @Test
    void forbiddenTopicIs403() {
        // Verifies that a FORBIDDEN stage becomes 4.03 with the platform's reason; the session stays usable.
        CoapResponse r = send(client, post("/forbidden/x", "{}", "dev-1", "good"));
        assertThat(r.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(r.getResponseText()).contains("not yours");
        assertThat(send(client, post(REPORT, "{}", "dev-1", "good")).getCode()).isEqualTo(ResponseCode.CHANGED);
    }

    @Test
    void storageFailureIs503SoTheDeviceResends() {
        // Verifies that a message the platform could not store is answered 5.03, never 2.04.
        listener.gate = CompletableFuture.failedFuture(new ThingportException(ErrorCode.INTERNAL, "disk full"));
        CoapResponse r = send(client, post(REPORT, "{}", "dev-1", "good"));
        assertThat(r.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
        assertThat(r.getResponseText()).contains("disk full");
        listener.gate = CompletableFuture.completedFuture(null);
        assertThat(send(client, post(REPORT, "{}", "dev-1", "good")).getCode()).isEqualTo(ResponseCode.CHANGED);
    }

    @Test
    void backPressureIs503WithMaxAgeAndNothingIsTaken() {
        // Verifies issue 11.8 on CoAP: when the platform is at a bound (UNAVAILABLE) the device gets 5.03 with Max-Age,
        // telling it when to send the message again, and the same message is accepted once the platform has room.
        listener.gate = CompletableFuture.failedFuture(new ThingportException(ErrorCode.UNAVAILABLE, "at the bound (test)"));
        CoapResponse r = send(client, post(REPORT, "{}", "dev-1", "good"));
        assertThat(r.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
        assertThat(r.getOptions().getMaxAge()).isEqualTo(CoapRequestHandler.RETRY_AFTER_SECONDS);
        assertThat(r.getResponseText()).contains("busy");
        listener.gate = CompletableFuture.completedFuture(null);
        assertThat(send(client, post(REPORT, "{}", "dev-1", "good")).getCode()).isEqualTo(ResponseCode.CHANGED);
    }

    @Test
    void downlinksTravelInTheNextResponseAndByGet() throws Exception {
        // Verifies queued downlinks: returned (JSON, escaped) in the next POST response, then by GET polling, once each.
        CoapResponse login = send(client, post(REPORT, "{}", "dev-1", "good"));
        assertThat(login.getCode()).isEqualTo(ResponseCode.CHANGED);
        String token = token(login.getResponseText());
        TransportConnection connection = listener.connections.get(0);
        connection.send(EncodedMessage.of("/p1/dev-1/function/invoke", "{\"messageId\":\"m1\"}")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        CoapResponse next = send(client, post(REPORT, "{}", token));
        assertThat(next.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(next.getResponseText()).isEqualTo(
                "{\"downlinks\":[{\"topic\":\"/p1/dev-1/function/invoke\",\"payload\":\"{\\\"messageId\\\":\\\"m1\\\"}\"}]}");
        connection.send(EncodedMessage.of("/p1/dev-1/properties/read", "a\nb")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        CoapResponse polled = send(client, get("/poll", token));
        assertThat(polled.getCode()).isEqualTo(ResponseCode.CONTENT);
        assertThat(polled.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
        assertThat(polled.getResponseText()).isEqualTo(
                "{\"downlinks\":[{\"topic\":\"/p1/dev-1/properties/read\",\"payload\":\"a\\nb\"}]}");
        assertThat(send(client, get("/poll", token)).getResponseText()).isEqualTo("{\"downlinks\":[]}");
        assertThat(listener.logins).hasSize(1);
    }

    @Test
    void downlinkQueueIsBoundedByMaxQueued() throws Exception {
        // Verifies maxQueued: a further downlink fails TOO_LARGE instead of growing the queue.
        server.close();
        server = start("queued", Map.of("maxQueued", "2"));
        base = "coap://127.0.0.1:" + server.boundAddress().getPort();
        send(client, post(REPORT, "{}", "dev-1", "good"));
        TransportConnection connection = listener.connections.get(0);
        connection.send(EncodedMessage.of("/a", "1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        connection.send(EncodedMessage.of("/a", "2")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> connection.send(EncodedMessage.of("/a", "3")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ThingportException.class).hasMessageContaining("2 downlinks already wait");
    }

    @Test
    void oversizedPayloadIs413AndTheServerKeepsServing() {
        // Verifies maxMessageLength (1024 by default): 4.13 with Size1 and no payload; nothing reaches the platform.
        CoapResponse r = send(client, post(REPORT, "x".repeat(1500), "dev-1", "good"));
        assertThat(r.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
        assertThat(r.getOptions().getSize1()).isEqualTo(1024);
        assertThat(r.getPayload()).isEmpty();
        assertThat(listener.received).isEmpty();
        assertThat(send(client, post(REPORT, "x".repeat(1024), "dev-1", "good")).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(listener.received).hasSize(1);
    }

    @Test
    void uploadWithoutPathIs400AndOtherMethodsAre405() {
        // Verifies that a message needs a topic (the URI path) and that only GET, POST and PUT are served.
        assertThat(send(client, post("", "{}", "dev-1", "good")).getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        Request delete = Request.newDelete();
        delete.setURI(base + REPORT);
        withCredentials(delete, "dev-1", "u", "good");
        assertThat(send(client, delete).getCode()).isEqualTo(ResponseCode.METHOD_NOT_ALLOWED);
        assertThat(listener.received).isEmpty();
    }

    @Test
    void garbageDatagramsDoNotStopTheServer() throws Exception {
        // Verifies that random bytes, truncated headers and huge datagrams leave the server serving other clients.
        Random random = new Random(42);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetAddress to = InetAddress.getByName("127.0.0.1");
            int port = server.boundAddress().getPort();
            byte[][] junk = {new byte[0], {0x40}, {0x40, 0x02, 0x00}, {0x44, 0x02, 0x12, 0x34, 0x01, 0x02, 0x03, 0x04, (byte) 0xFF},
                    {0x40, 0x02, 0x00, 0x01, (byte) 0xDD, (byte) 0xFF, (byte) 0xFF}, new byte[60_000]};
            for (byte[] b : junk) {
                socket.send(new DatagramPacket(b, b.length, to, port));
            }
            for (int i = 0; i < 200; i++) {
                byte[] b = new byte[1 + random.nextInt(300)];
                random.nextBytes(b);
                socket.send(new DatagramPacket(b, b.length, to, port));
            }
        }
        CoapResponse r = send(client, post(REPORT, "{}", "dev-1", "good"));
        assertThat(r).isNotNull();
        assertThat(r.getCode()).isEqualTo(ResponseCode.CHANGED);
    }

    @Test
    void aSlowPlatformDoesNotBlockOtherRequests() throws Exception {
        // Verifies the asynchronous response: while one uplink waits for storage, other devices are answered.
        listener.gate = new CompletableFuture<>();
        AtomicReference<CoapResponse> first = new AtomicReference<>();
        client.advanced(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                first.set(response);
            }

            @Override
            public void onError() {
            }
        }, post(REPORT, "{\"slow\":true}", "dev-1", "good"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 1);
        CoapClient other = CoapTestClients.plain();
        try {
            Request poll = Request.newGet();
            poll.setURI(base + "/poll");
            withCredentials(poll, "dev-2", "u", "good");
            assertThat(send(other, poll).getCode()).isEqualTo(ResponseCode.CONTENT);
        } finally {
            CoapTestClients.close(other);
        }
        assertThat(first.get()).isNull();
        listener.gate.complete(null);
        await().atMost(15, TimeUnit.SECONDS).until(() -> first.get() != null);
        assertThat(first.get().getCode()).isEqualTo(ResponseCode.CHANGED);
    }

    @Test
    void idleSessionClosesAndTheDeviceGoesOffline() {
        // Verifies idleTimeout: a session without requests closes (reported once), its token is refused, and the device
        // logs in again.
        server.close();
        server = start("idle", Map.of("idleTimeout", "1"));
        base = "coap://127.0.0.1:" + server.boundAddress().getPort();
        String token = token(send(client, post(REPORT, "{}", "dev-1", "good")).getResponseText());
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.disconnects.contains("no request for 1.0 s"));
        assertThat(server.connectionCount()).isZero();
        CoapResponse expired = send(client, post(REPORT, "{}", token));
        assertThat(expired.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(expired.getPayload()).isEmpty();
        assertThat(send(client, post(REPORT, "{}", "dev-1", "good")).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(listener.logins).hasSize(2);
    }

    @Test
    void closeReportsEverySessionDisconnectedAndFreesThePort() throws Exception {
        // Verifies close(): each session reported once with the component's reason, the UDP port bound again at once.
        send(client, post(REPORT, "{}", "dev-1", "good"));
        send(client, post("/p1/dev-2/properties/report", "{}", "dev-2", "good"));
        assertThat(server.connectionCount()).isEqualTo(2);
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

    @Test
    void portInUseIsAConflictNamingTheAddress() throws Exception {
        // Verifies that a taken port fails start with CONFLICT (and frees what it started).
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
        assertThatThrownBy(() -> start("bad", Map.of("foo", "1")))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("network component bad").hasMessageContaining("unknown key 'foo'");
        assertThatThrownBy(() -> start("bad", Map.of("maxMessageLength", "big"))).hasMessageContaining("maxMessageLength");
        assertThatThrownBy(() -> start("bad", Map.of("idleTimeout", "0"))).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> start("bad", Map.of("sessionLifetime", "0")))
                .hasMessage("network component bad: sessionLifetime 0 is out of range 1..604800");
        assertThatThrownBy(() -> start("bad", Map.of("sessionLifetime", "1h"))).hasMessageContaining("sessionLifetime");
        assertThatThrownBy(() -> start("bad", Map.of("maxQueued", "-1"))).hasMessageContaining("maxQueued");
        assertThatThrownBy(() -> start("bad", Map.of("port", "70000"))).hasMessageContaining("port");
        assertThatThrownBy(() -> start("bad", Map.of("pskIdentity", "id"))).hasMessageContaining("pskKey");
        assertThatThrownBy(() -> start("bad", Map.of("pskKey", "k"))).hasMessageContaining("pskIdentity");
        assertThatThrownBy(() -> start("bad", Map.of("pskIdentity", "id", "pskKey", "0xabc"))).hasMessageContaining("pskKey");
        assertThatThrownBy(() -> start("bad", Map.of("clientAuth", "require"))).hasMessageContaining("clientAuth");
        assertThatThrownBy(() -> start("bad", Map.of("clientAuth", "sometimes"))).hasMessageContaining("clientAuth");
        assertThatThrownBy(() -> start("bad", Map.of("host", "no-such-host.invalid"))).hasMessageContaining("host");
    }

    @Test
    void theBoundsOfPerSourceStateHaveDefaultsAndAreCheckedNamingTheKey() {
        // Verifies maxPeers, dedupSeconds, maxPendingLogins and loginTimeout: their defaults, and a bad value refused
        // with the key, the value and the range, before anything starts.
        CoapServerSettings defaults = CoapServerSettings.from(new NetworkComponentConfig("d", "coap-server", Map.of()));
        assertThat(List.of(defaults.maxPeers(), defaults.dedupSeconds(), defaults.maxPendingLogins(), defaults.loginTimeout()))
                .containsExactly(10_000, 30, 1_024, 10);
        assertThatThrownBy(() -> start("bad", Map.of("maxPeers", "15")))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("network component bad: maxPeers 15 is out of range 16..1000000");
        assertThatThrownBy(() -> start("bad", Map.of("dedupSeconds", "0")))
                .hasMessage("network component bad: dedupSeconds 0 is out of range 1..247");
        assertThatThrownBy(() -> start("bad", Map.of("dedupSeconds", "248")))
                .hasMessage("network component bad: dedupSeconds 248 is out of range 1..247");
        assertThatThrownBy(() -> start("bad", Map.of("maxPendingLogins", "0")))
                .hasMessage("network component bad: maxPendingLogins 0 is out of range 1..100000");
        assertThatThrownBy(() -> start("bad", Map.of("loginTimeout", "10s")))
                .hasMessage("network component bad: loginTimeout '10s' is not a whole number");
        assertThatThrownBy(() -> start("bad", Map.of("loginTimeout", "601")))
                .hasMessage("network component bad: loginTimeout 601 is out of range 1..600");
    }

    @Test
    void defaultPortIs5683() {
        // Verifies the plain default port (skipped silently when another process holds it).
        NetworkComponent c;
        try {
            c = new CoapServerProvider().start(new NetworkComponentConfig("default", "coap-server", Map.of("host", "127.0.0.1")), listener);
        } catch (ThingportException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            return;
        }
        try {
            assertThat(c.boundAddress().getPort()).isEqualTo(5683);
        } finally {
            c.close();
        }
    }
}
