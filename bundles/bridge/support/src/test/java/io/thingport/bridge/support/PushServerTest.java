package io.thingport.bridge.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.network.NetworkComponentConfig;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PushServerTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<PushRequest> received = new CopyOnWriteArrayList<>();
    private PushServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private URI start(PushHandler handler) {
        return start(handler, 16);
    }

    private URI start(PushHandler handler, int maxConnections) {
        server = PushServer.start(new NetworkComponentConfig("push1", "test", Map.of()), new PushServer.Settings("127.0.0.1", 0, 1,
                1024, 30, maxConnections), request -> {
                    received.add(request);
                    return handler.handle(request);
                });
        return URI.create("http://127.0.0.1:" + server.boundAddress().getPort());
    }

    private HttpResponse<String> post(URI uri, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).header("X-Sign", "abc").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPushReachesTheHandlerWholeAndItsAnswerGoesBack() throws Exception {
        // Verifies that the handler gets the method, the decoded path, the query with '+' kept, lower-case headers and
        // the body, and that its answer is what the cloud receives, on a connection kept alive for the next push.
        // GIVEN a handler that answers 200 "ok"
        URI base = start(r -> CompletableFuture.completedFuture(PushAnswer.text(200, "ok")));
        // WHEN two pushes come
        HttpResponse<String> first = post(base.resolve("/ctwing/t%20k?msg=a+b&nonce=n1"), "{\"a\":1}");
        HttpResponse<String> second = post(base.resolve("/ctwing/tk"), "{}");
        // THEN
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("ok");
        assertThat(second.statusCode()).isEqualTo(200);
        PushRequest r = received.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/ctwing/t k");
        assertThat(r.query()).containsEntry("msg", "a+b").containsEntry("nonce", "n1");
        assertThat(r.headers()).containsEntry("x-sign", "abc");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeTheHandlerAndAFailingHandlerIsA500() throws Exception {
        // Verifies the bounds: a body over maxBody is answered 413 without reaching the handler; a handler that throws
        // or fails its stage is answered 500 (the cloud sends the push again).
        // GIVEN a handler that throws for "throw", fails for "fail" and answers an error for anything else
        URI base = start(r -> {
            String body = new String(r.body(), StandardCharsets.UTF_8);
            if (body.equals("throw")) {
                throw new IllegalStateException("boom");
            }
            if (body.equals("fail")) {
                return CompletableFuture.failedFuture(new IllegalStateException("boom"));
            }
            return CompletableFuture.completedFuture(PushAnswer.error(401, "unauthorized", "bad \"token\""));
        });
        // WHEN / THEN
        assertThat(post(base, "x".repeat(2000)).statusCode()).isEqualTo(413);
        assertThat(received).isEmpty();
        assertThat(post(base, "throw").statusCode()).isEqualTo(500);
        assertThat(post(base, "fail").statusCode()).isEqualTo(500);
        HttpResponse<String> refused = post(base, "other");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo("{\"code\":\"unauthorized\",\"message\":\"bad \\\"token\\\"\"}");
        assertThat(refused.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void connectionsBeyondTheBoundAreClosedAtOnce() throws Exception {
        // Verifies maxConnections: with 2 open connections a third is closed without being read, and once one closes a
        // new one is served again.
        // GIVEN a server holding at most 2 connections, and 2 open sockets
        URI base = start(r -> CompletableFuture.completedFuture(PushAnswer.text(200, "ok")), 2);
        try (Socket a = new Socket("127.0.0.1", base.getPort()); Socket b = new Socket("127.0.0.1", base.getPort())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == 2);
            // WHEN a third connects / THEN it is closed: reading ends at once
            try (Socket c = new Socket("127.0.0.1", base.getPort())) {
                c.setSoTimeout(5000);
                assertThat(c.getInputStream().read()).isEqualTo(-1);
            }
        }
        // WHEN the two closed / THEN a push is served again
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(post(base, "{}").statusCode()).isEqualTo(200));
    }
}
