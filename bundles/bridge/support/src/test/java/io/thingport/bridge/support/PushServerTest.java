package io.thingport.bridge.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.network.NetworkComponentConfig;
import java.net.InetAddress;
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
import java.util.concurrent.TimeUnit;
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
        return start(handler, maxConnections, 30);
    }

    private URI start(PushHandler handler, int maxConnections, int idleSeconds) {
        server = PushServer.start(new NetworkComponentConfig("push1", "test", Map.of()), new PushServer.Settings("127.0.0.1", 0, 1,
                1024, idleSeconds, maxConnections), request -> {
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
    void connectionsBeyondTheBoundAreClosedAtOnceAndATricklingPeerIsCut() throws Exception {
        // Verifies the connection bounds: with an address's share (an eighth of 16: 2) open, its next connection is closed
        // without being read; once those closed a push is served again; and a connection that does not send a whole
        // request within the deadline is closed.
        // GIVEN a server holding at most 16 connections (2 per address), with a 2 s deadline, and 2 open sockets
        URI base = start(r -> CompletableFuture.completedFuture(PushAnswer.text(200, "ok")), 16, 2);
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
        // WHEN a peer sends half a request and nothing more / THEN it is cut after the deadline
        try (Socket slow = new Socket("127.0.0.1", base.getPort())) {
            slow.setSoTimeout(10_000);
            slow.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            assertThat(slow.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1000), Duration.ofSeconds(8));
        }
    }

    @Test
    void boundsCountConnectionsInAllAndPerAddress() throws Exception {
        // Verifies ConnectionBounds: the total and the per-address bound, each released on close.
        // GIVEN 3 in all, 2 per address
        PushServer.ConnectionBounds bounds = new PushServer.ConnectionBounds(3, 2);
        InetAddress one = InetAddress.getByName("192.0.2.1");
        InetAddress two = InetAddress.getByName("192.0.2.2");
        // WHEN / THEN
        assertThat(bounds.open(one)).isNull();
        assertThat(bounds.open(one)).isNull();
        assertThat(bounds.open(one)).contains("2 connections from 192.0.2.1");
        assertThat(bounds.open(two)).isNull();
        assertThat(bounds.open(two)).contains("3 connections are open");
        bounds.closed(one);
        assertThat(bounds.open(one)).isNull();
    }

    @Test
    void pipelinedPushesAreHandledOneAtATimeAndAnsweredInOrder() throws Exception {
        // Verifies that a second pipelined request reaches the handler only after the first was answered, so a slow
        // first push is never answered with the second's status.
        // GIVEN a handler answering "slow" after 300 ms with 200 and anything else at once with 503
        URI base = start(r -> new String(r.body(), StandardCharsets.UTF_8).equals("slow")
                ? CompletableFuture.supplyAsync(() -> PushAnswer.text(200, "first"), CompletableFuture.delayedExecutor(300,
                        TimeUnit.MILLISECONDS))
                : CompletableFuture.completedFuture(PushAnswer.text(503, "second")));
        // WHEN two requests are written back to back on one connection
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            socket.setSoTimeout(10_000);
            String two = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nslow"
                    + "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nfast";
            socket.getOutputStream().write(two.getBytes(StandardCharsets.US_ASCII));
            // THEN the answers come in request order
            StringBuilder all = new StringBuilder();
            while (!all.toString().contains("second")) {
                int b = socket.getInputStream().read();
                if (b < 0) {
                    break;
                }
                all.append((char) b);
            }
            assertThat(all.indexOf("first")).isPositive().isLessThan(all.indexOf("second"));
            assertThat(all.toString()).startsWith("HTTP/1.1 200");
        }
    }
}
