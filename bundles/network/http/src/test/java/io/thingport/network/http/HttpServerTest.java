package io.thingport.network.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import io.thingport.network.testkit.RecordingListener;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP server against java.net.http.HttpClient and hand-written HTTP over real sockets. */
class HttpServerTest {
    private static final String EMPTY = "{\"downlinks\":[]}";
    /** The answer to a login: the session's token (43 URL-safe characters) and the downlinks. */
    private static final Pattern LOGIN = Pattern.compile("\\{\"token\":\"([A-Za-z0-9_-]{43})\",\"downlinks\":\\[.*]}");
    private static final String BAD_CREDENTIALS = "{\"code\":\"bad_credentials\",\"message\":\"bad user name or password\"}";

    private final ScriptedListener scripted = new ScriptedListener();
    private final RecordingListener listener = scripted.recording;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private NetworkComponent server;

    private NetworkComponent start(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0"));
        properties.putAll(extra);
        server = new HttpServerProvider().start(new NetworkComponentConfig("test", "http-server", properties), scripted);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.boundAddress().getPort() + path;
    }

    private HttpRequest.Builder request(String path, String clientId, String username, String password) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20));
        if (clientId != null) {
            b.header("X-Client-Id", clientId);
        }
        if (username != null) {
            b.header("X-Username", username);
        }
        if (password != null) {
            b.header("X-Password", password);
        }
        return b;
    }

    private HttpResponse<String> post(String path, String clientId, String password, String body) throws Exception {
        return client.send(request(path, clientId, clientId + "|1", password).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String clientId, String password) throws Exception {
        return client.send(request(path, clientId, clientId + "|1", password).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request that presents a session token and no credentials. */
    private HttpRequest.Builder withToken(String path, String token) {
        return HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).header("X-Session-Token", token);
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        return client.send(withToken(path, token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return client.send(withToken(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The token a login's response carries (it must carry one). */
    static String token(String body) {
        Matcher m = LOGIN.matcher(body);
        assertThat(m.matches()).as("a login's answer: %s", body).isTrue();
        return m.group(1);
    }

    /** Logs in with the stand-in's password {@code good} by a GET and returns the session's token. */
    private String login(String clientId) throws Exception {
        HttpResponse<String> r = get("/", clientId, "good");
        assertThat(r.statusCode()).isEqualTo(200);
        return token(r.body());
    }

    @Test
    void reportIsAcceptedAndReachesThePlatform() throws Exception {
        // Verifies 200 with an empty downlink list and that the listener sees topic, body and content type.
        start(Map.of());
        HttpResponse<String> r = post("/p1/d1/properties/report", "d1", "good", "{\"temp\":21.5}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"token\":\"" + token(r.body()) + "\",\"downlinks\":[]}");
        assertThat(listener.received).hasSize(1);
        EncodedMessage m = listener.received.get(0).message();
        assertThat(m.topic()).isEqualTo("/p1/d1/properties/report");
        assertThat(m.payloadAsText()).isEqualTo("{\"temp\":21.5}");
        assertThat(m.headers()).containsEntry("content-type", "application/json");
        assertThat(listener.logins).singleElement().satisfies(a -> {
            assertThat(a.clientId()).isEqualTo("d1");
            assertThat(a.username()).isEqualTo("d1|1");
            assertThat(new String(a.password(), StandardCharsets.UTF_8)).isEqualTo("good");
            assertThat(a.remoteAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        });
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void aLoginReturnsATokenThatLaterRequestsPresentInsteadOfCredentials() throws Exception {
        // Verifies the session flow: the login's answer carries a token; requests with only the token (new TCP
        // connections too) are served by that session without a login, and their answers carry no token.
        start(Map.of());
        HttpResponse<String> login = post("/p1/d1/properties/report", "d1", "good", "{\"n\":0}");
        String token = token(login.body());
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> r = post("/p1/d1/properties/report", token, "{\"n\":" + i + "}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(EMPTY);
        }
        HttpClient other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThat(other.send(withToken("/p1/d1/poll", token).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
                .isEqualTo(EMPTY);
        assertThat(listener.logins).hasSize(1);
        assertThat(listener.connections).hasSize(1);
        assertThat(listener.received).hasSize(4).extracting(rec -> rec.connection()).containsOnly(listener.connections.get(0));
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void theSameSignedLoginRepeatedIsRefused() throws Exception {
        // Verifies that a request whose credentials repeat an accepted login byte for byte is a login again, which the
        // platform refuses as a replay (the stand-in's signed:<n> rule): a sniffed request is no bearer token.
        // Its message is not stored; the session the first login opened is untouched.
        start(Map.of());
        HttpResponse<String> first = post("/p1/d1/properties/report", "d1", "signed:1", "{\"n\":1}");
        assertThat(first.statusCode()).isEqualTo(200);
        HttpResponse<String> replay = post("/p1/d1/properties/report", "d1", "signed:1", "{\"n\":2}");
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).isEqualTo(BAD_CREDENTIALS);
        assertThat(listener.logins).hasSize(2);
        assertThat(listener.texts()).containsExactly("{\"n\":1}");
        assertThat(post("/p1/d1/properties/report", token(first.body()), "{\"n\":3}").statusCode()).isEqualTo(200);
        assertThat(listener.disconnects).isEmpty();
    }

    @Test
    void aNewLoginReplacesTheSessionAndTheOldTokenIsRefused() throws Exception {
        // Verifies one session per device and component: a newer login closes the previous session, whose token is
        // then answered 401 invalid_session.
        start(Map.of());
        String old = token(post("/p1/d1/properties/report", "d1", "signed:1", "{}").body());
        String current = token(post("/p1/d1/properties/report", "d1", "signed:2", "{}").body());
        assertThat(current).isNotEqualTo(old);
        assertThat(listener.disconnects).containsExactly("replaced by a new login");
        HttpResponse<String> stale = post("/p1/d1/properties/report", old, "{}");
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(stale.body()).startsWith("{\"code\":\"invalid_session\",\"message\":\"the session token is unknown or expired: "
                + "log in again");
        assertThat(post("/p1/d1/properties/report", current, "{}").statusCode()).isEqualTo(200);
        assertThat(listener.received.get(2).connection()).isSameAs(listener.connections.get(1));
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void unknownAndForeignTokensAre401WithoutALogin() throws Exception {
        // Verifies that a guessed token and a token of another component are refused (a token is bound to the
        // component that issued it) and that nothing reaches the platform.
        start(Map.of());
        String token = login("d1");
        NetworkComponent other = new HttpServerProvider().start(new NetworkComponentConfig("other", "http-server",
                Map.of("host", "127.0.0.1", "port", "0")), scripted);
        try {
            HttpResponse<String> foreign = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + other.boundAddress().getPort() + "/p1/d1/properties/report")).header("X-Session-Token", token)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.statusCode()).isEqualTo(401);
            assertThat(foreign.body()).contains("\"code\":\"invalid_session\"");
        } finally {
            other.close();
        }
        HttpResponse<String> guessed = post("/p1/d1/properties/report", "A".repeat(43), "{}");
        assertThat(guessed.statusCode()).isEqualTo(401);
        assertThat(guessed.body()).contains("\"code\":\"invalid_session\"");
        assertThat(listener.received).isEmpty();
        assertThat(listener.logins).hasSize(1);
        assertThat(get("/", token).statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionEndsAtItsLifetimeHoweverBusy() throws Exception {
        // Verifies sessionLifetime: a device using its token every 200 ms is still logged out after 1 s (the device
        // goes offline, its token is refused) and logs in again.
        start(Map.of("sessionLifetime", "1"));
        String token = login("d1");
        await().atMost(15, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> get("/", token).statusCode() == 401);
        await().atMost(15, TimeUnit.SECONDS).until(() -> listener.disconnects.contains("session lifetime of 1.0 s over"));
        assertThat(get("/", token).body()).contains("\"code\":\"invalid_session\"");
        assertThat(server.connectionCount()).isZero();
        assertThat(login("d1")).isNotEqualTo(token);
    }

    @Test
    void refusalsOfAnUnknownDeviceAndOfABadSignatureAreByteIdentical() throws Exception {
        // Verifies that an unauthenticated peer learns nothing: the whole response (status line, headers, body) to a
        // login of an unknown device equals the one to a bad signature and to a replayed login.
        start(Map.of());
        post("/p1/d1/properties/report", "d1", "signed:7", "{}");
        List<String> answers = new ArrayList<>();
        for (String[] login : new String[][] {{"nobody", "signed:9"}, {"d1", "wrong"}, {"d1", "signed:7"}}) {
            try (RawHttp raw = new RawHttp(server.boundAddress().getPort())) {
                raw.send(RawHttp.post("/p1/d1/properties/report", login[0], login[1], "{}"));
                answers.add(raw.readRaw());
            }
        }
        assertThat(answers.get(0)).startsWith("HTTP/1.1 401 Unauthorized\r\n").endsWith(BAD_CREDENTIALS);
        assertThat(answers).containsOnly(answers.get(0));
    }

    @Test
    void refusedLoginsAnswer401Or403WithTheFailure() throws Exception {
        // Verifies 401 for bad credentials, 403 for a disabled device, the generic JSON error bodies, and no session.
        start(Map.of());
        HttpResponse<String> bad = post("/p1/d1/properties/report", "d1", "wrong", "{}");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.body()).isEqualTo(BAD_CREDENTIALS);
        HttpResponse<String> disabled = post("/p1/d1/properties/report", "d1", "disabled", "{}");
        assertThat(disabled.statusCode()).isEqualTo(403);
        assertThat(disabled.body()).isEqualTo("{\"code\":\"disabled_device\",\"message\":\"the device is disabled\"}");
        assertThat(listener.connections).isEmpty();
        assertThat(listener.received).isEmpty();
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void missingCredentialHeadersAnswer401WithoutALogin() throws Exception {
        // Verifies 401 malformed_credentials when the headers are absent (no client certificate).
        start(Map.of());
        HttpResponse<String> none = client.send(request("/p1/d1/properties/report", null, null, null)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).startsWith("{\"code\":\"malformed_credentials\",\"message\":\"log in with the headers X-Client-Id");
        HttpResponse<String> noPassword = client.send(request("/p1/d1/properties/report", "d1", "d1|1", null)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noPassword.statusCode()).isEqualTo(401);
        assertThat(listener.logins).isEmpty();
        assertThat(listener.received).isEmpty();
    }

    @Test
    void forbiddenMessageAnswers403AndTheDeviceCarriesOn() throws Exception {
        // Verifies that a FORBIDDEN stage gives 403 forbidden, and the next request of the device still works.
        start(Map.of());
        String token = login("d1");
        HttpResponse<String> r = post("/forbidden/topic", token, "{}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("{\"code\":\"forbidden\",\"message\":\"not yours\"}");
        assertThat(post("/p1/d1/properties/report", token, "{}").statusCode()).isEqualTo(200);
        assertThat(listener.logins).hasSize(1);
    }

    @Test
    void storageFailureAnswers503SoTheDeviceSendsAgain() throws Exception {
        // Verifies 503 unavailable when the platform could not store the message, then 200 once it can.
        start(Map.of());
        listener.gate = CompletableFuture.failedFuture(new ThingportException(ErrorCode.INTERNAL, "disk full"));
        HttpResponse<String> r = post("/p1/d1/properties/report", "d1", "good", "{}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"code\":\"unavailable\",\"message\":\"the platform could not store the message: disk full\"}");
        listener.gate = CompletableFuture.completedFuture(null);
        assertThat(post("/p1/d1/properties/report", "d1", "good", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void aBusyPlatformAnswers503WithRetryAfterAndTheRetryIs200() throws Exception {
        // Verifies UNAVAILABLE (the platform at its bound): 503 with Retry-After: 1, the session stays usable, and the
        // device's retry is taken.
        // GIVEN a session, and a platform that refuses the next message as being at its bound
        start(Map.of());
        String token = login("d1");
        listener.unavailable.set(1);

        // WHEN the device posts a message, then posts it again as told
        HttpResponse<String> busy = post("/p1/d1/properties/report", token, "{\"n\":1}");
        HttpResponse<String> retried = post("/p1/d1/properties/report", token, "{\"n\":1}");

        // THEN the first is 503 unavailable with Retry-After: 1, the second 200
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(busy.body()).isEqualTo("{\"code\":\"unavailable\",\"message\":\"the platform is busy and did not take the "
                + "message: send the request again after 1 s\"}");
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.headers().firstValue("Retry-After")).isEmpty();
        assertThat(listener.texts()).containsExactly("{\"n\":1}", "{\"n\":1}");
        assertThat(listener.disconnects).isEmpty();
    }

    @Test
    void responseWaitsForThePlatformToStoreTheMessage() throws Exception {
        // Verifies that no response is written before the stage completes.
        start(Map.of());
        listener.gate = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(request("/p1/d1/properties/report", "d1", "d1|1", "good")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 1);
        // Held for 300 ms: the device gets no answer while the platform has not stored the message.
        await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> !pending.isDone());
        listener.gate.complete(null);
        assertThat(pending.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void downlinksTravelInTheNextResponseAndByPolling() throws Exception {
        // Verifies that a downlink sent through the session returns in the next POST response and with GET polling.
        start(Map.of());
        String token = token(post("/p1/d1/properties/report", "d1", "good", "{}").body());
        TransportConnection session = listener.connections.get(0);
        assertThat(session.transport()).isEqualTo(Transport.HTTP);
        session.send(EncodedMessage.of("/p1/d1/function/invoke", "{\"messageId\":\"m1\",\"say\":\"a \\\"quoted\\\" word\"}"))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        HttpResponse<String> next = post("/p1/d1/properties/report", token, "{}");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"downlinks\":[{\"topic\":\"/p1/d1/function/invoke\",\"payload\":"
                + "\"{\\\"messageId\\\":\\\"m1\\\",\\\"say\\\":\\\"a \\\\\\\"quoted\\\\\\\" word\\\"}\"}]}");

        session.send(EncodedMessage.of("/p1/d1/properties/read", "r1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        session.send(EncodedMessage.of("/p1/d1/properties/write", "w1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        HttpResponse<String> polled = get("/p1/d1/anything", token);
        assertThat(polled.statusCode()).isEqualTo(200);
        assertThat(polled.body()).isEqualTo("{\"downlinks\":[{\"topic\":\"/p1/d1/properties/read\",\"payload\":\"r1\"},"
                + "{\"topic\":\"/p1/d1/properties/write\",\"payload\":\"w1\"}]}");
        assertThat(get("/", token).body()).isEqualTo(EMPTY);
        assertThat(listener.received).hasSize(2);
        assertThat(listener.logins).hasSize(1);
    }

    @Test
    void downlinkQueueIsBoundedByMaxQueued() throws Exception {
        // Verifies that a session holds at most maxQueued downlinks.
        start(Map.of("maxQueued", "2"));
        String token = login("d1");
        TransportConnection session = listener.connections.get(0);
        session.send(EncodedMessage.of("/a", "1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        session.send(EncodedMessage.of("/b", "2")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(session.send(EncodedMessage.of("/c", "3")).toCompletableFuture())
                .failsWithin(5, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("2 downlinks already wait");
        assertThat(get("/", token).body()).contains("\"/a\"", "\"/b\"").doesNotContain("\"/c\"");
    }

    @Test
    void idleSessionClosesAndTheDeviceGoesOffline() throws Exception {
        // Verifies idleTimeout: a session without requests closes (listener.disconnected), its token is refused, and
        // the device logs in again.
        start(Map.of("idleTimeout", "1"));
        String token = token(post("/p1/d1/properties/report", "d1", "good", "{}").body());
        TransportConnection session = listener.connections.get(0);
        await().atMost(15, TimeUnit.SECONDS).until(() -> listener.disconnects.contains("no request for 1.0 s"));
        assertThat(session.isOpen()).isFalse();
        assertThat(server.connectionCount()).isZero();
        assertThat(session.send(EncodedMessage.of("/x", "y")).toCompletableFuture())
                .failsWithin(5, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("is closed");
        // A new client: the server also closes idle TCP connections, and a POST on a connection being closed is not retried.
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> expired = fresh.send(withToken("/p1/d1/properties/report", token)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("\"code\":\"invalid_session\"");
        HttpResponse<String> again = fresh.send(request("/p1/d1/properties/report", "d1", "d1|1", "good")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(listener.logins).hasSize(2);
        assertThat(listener.received).hasSize(2);
    }

    @Test
    void halfSentRequestsAndSilentConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        // Verifies that a connection stuck in the middle of a body, or silent, is closed and another client still works.
        start(Map.of("idleTimeout", "1"));
        try (RawHttp half = new RawHttp(server.boundAddress().getPort());
             RawHttp silent = new RawHttp(server.boundAddress().getPort())) {
            half.send("POST /p1/d1/properties/report HTTP/1.1\r\nHost: x\r\nX-Client-Id: d1\r\nX-Username: d1|1\r\n"
                    + "X-Password: good\r\nContent-Length: 10\r\n\r\n{\"");
            assertThat(half.closedByServer()).isTrue();
            assertThat(silent.closedByServer()).isTrue();
        }
        assertThat(listener.received).isEmpty();
        assertThat(post("/p1/d1/properties/report", "d1", "good", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedBodiesAnswer413AndNothingReachesThePlatform() throws Exception {
        // Verifies maxMessageLength for a Content-Length body and a chunked body, and that the server keeps serving.
        start(Map.of("maxMessageLength", "1024"));
        HttpResponse<String> fixed = post("/p1/d1/properties/report", "d1", "good", "x".repeat(2048));
        assertThat(fixed.statusCode()).isEqualTo(413);
        assertThat(fixed.body())
                .isEqualTo("{\"code\":\"too_large\",\"message\":\"Content-Length 2048 exceeds maxMessageLength 1024 bytes\"}");

        byte[] big = new byte[200_000];
        HttpResponse<String> chunked = client.send(request("/p1/d1/properties/report", "d1", "d1|1", "good")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("the body exceeds maxMessageLength 1024 bytes");

        assertThat(post("/p1/d1/properties/report", "d1", "good", "x".repeat(1024)).statusCode()).isEqualTo(200);
        assertThat(listener.received).hasSize(1);
        assertThat(listener.received.get(0).message().payload()).hasSize(1024);
    }

    @Test
    void garbageGets400AndOnlyThatConnectionCloses() throws Exception {
        // Verifies that bytes that are not HTTP are answered 400 and closed, while another connection keeps working.
        start(Map.of());
        try (RawHttp keepAlive = new RawHttp(server.boundAddress().getPort());
             RawHttp garbage = new RawHttp(server.boundAddress().getPort())) {
            keepAlive.send(RawHttp.post("/p1/d1/properties/report", "d1", "good", "{}"));
            assertThat(keepAlive.read().status()).isEqualTo(200);

            byte[] junk = new byte[64];
            for (int i = 0; i < junk.length; i++) {
                junk[i] = (byte) (0x80 + i);
            }
            garbage.send(junk);
            garbage.send("\r\nthis is not http\r\n\r\n");
            RawHttp.Response r = garbage.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.headers()).containsEntry("connection", "close");
            assertThat(r.body()).startsWith("{\"code\":\"malformed\",\"message\":\"malformed HTTP request");
            assertThat(garbage.closedByServer()).isTrue();

            keepAlive.send(RawHttp.post("/p1/d1/properties/report", "d1", "good", "{\"again\":1}"));
            assertThat(keepAlive.read().status()).isEqualTo(200);
        }
        assertThat(post("/p1/d2/properties/report", "d2", "good", "{}").statusCode()).isEqualTo(200);
        assertThat(listener.texts()).containsExactly("{}", "{\"again\":1}", "{}");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        // Verifies keep-alive and pipelining: the first request's slow stage does not let the second overtake it.
        start(Map.of());
        CompletableFuture<Void> slow = new CompletableFuture<>();
        scripted.holds.put("/p1/d1/slow", slow);
        String token = login("d1");
        try (RawHttp raw = new RawHttp(server.boundAddress().getPort())) {
            raw.send(RawHttp.postWithToken("/p1/d1/slow", token, "{\"n\":1}")
                    + RawHttp.postWithToken("/p1/d1/forbidden", token, "{\"n\":2}")
                    + RawHttp.postWithToken("/forbidden/x", token, "{\"n\":3}"));
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 3);
            slow.complete(null);
            assertThat(raw.read().status()).isEqualTo(200);
            assertThat(raw.read().status()).isEqualTo(200);
            assertThat(raw.read().status()).isEqualTo(403);
            raw.send("GET /p1/d1/poll HTTP/1.1\r\nHost: x\r\nX-Session-Token: " + token + "\r\nConnection: close\r\n\r\n");
            RawHttp.Response last = raw.read();
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.body()).isEqualTo(EMPTY);
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(listener.texts()).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(listener.logins).hasSize(1);
    }

    @Test
    void slowStorageStopsReadingAtMaxInflight() throws Exception {
        // Verifies back-pressure: with storage stalled, at most maxInflight requests of a connection are in progress.
        start(Map.of("maxInflight", "2"));
        String token = login("d1");
        listener.gate = new CompletableFuture<>();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            many.append(RawHttp.postWithToken("/p1/d1/properties/report", token, "{\"n\":" + i + "}"));
        }
        try (RawHttp raw = new RawHttp(server.boundAddress().getPort())) {
            raw.send(many.toString());
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 2);
            // Held for 300 ms: nothing more goes to the platform while storage is stalled.
            await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> listener.received.size() == 2);
            listener.gate.complete(null);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(raw.read().status());
            }
            assertThat(statuses).containsOnly(200).hasSize(6);
        }
        assertThat(listener.texts()).hasSize(6).first().isEqualTo("{\"n\":0}");
    }

    @Test
    void otherMethodsAndPathsOutsideThePrefixAreRefused() throws Exception {
        // Verifies 405 for other methods, the path prefix (topic = path minus prefix) and 404 outside it.
        start(Map.of("path", "/api/"));
        HttpResponse<String> put = client.send(request("/api/p1/d1/x", "d1", "d1|1", "good")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(put.body()).startsWith("{\"code\":\"method_not_allowed\"");
        HttpResponse<String> delete = client.send(request("/api/p1/d1/x", "d1", "d1|1", "good").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);

        HttpResponse<String> outside = post("/apix/p1/d1/x", "d1", "good", "{}");
        assertThat(outside.statusCode()).isEqualTo(404);
        assertThat(outside.body()).isEqualTo("{\"code\":\"not_found\",\"message\":\"the path must start with /api/\"}");

        assertThat(post("/api/p1/d1/properties/report?ignored=1", "d1", "good", "{}").statusCode()).isEqualTo(200);
        assertThat(post("/api/p1/d1/event/a%20b", "d1", "good", "{}").statusCode()).isEqualTo(200);
        assertThat(listener.received).extracting(rec -> rec.message().topic())
                .containsExactly("/p1/d1/properties/report", "/p1/d1/event/a b");
        assertThat(listener.logins).hasSize(2);
    }

    @Test
    void closeReportsEverySessionDisconnectedAndFreesThePort() throws Exception {
        // Verifies close(): sessions reported disconnected once with the stop reason, the port is free again.
        start(Map.of());
        post("/p1/d1/properties/report", "d1", "good", "{}");
        post("/p1/d2/properties/report", "d2", "good", "{}");
        assertThat(server.connectionCount()).isEqualTo(2);
        int port = server.boundAddress().getPort();
        server.close();
        assertThat(listener.disconnects).containsExactly("network component test stopped", "network component test stopped");
        assertThat(listener.connections).allSatisfy(c -> assertThat(c.isOpen()).isFalse());
        server = new HttpServerProvider().start(new NetworkComponentConfig("again", "http-server",
                Map.of("host", "127.0.0.1", "port", Integer.toString(port))), scripted);
        assertThat(post("/p1/d1/properties/report", "d1", "good", "{}").statusCode()).isEqualTo(200);
    }
}
