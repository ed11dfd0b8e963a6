package io.thingport.bridge.ctwing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.thingport.bridge.ctwing.fake.FakeCtwingPushes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the pieces fit in a push endpoint (a sketch of what the SPI adapter will do): the secret path token, the bounded
 * body, the parser, the dedup key; pushes are delivered over HTTP by the fake's push builder, retries included.
 */
class PushEndpointSketchTest {
    private final String token = PushToken.generate();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final List<CtwingMessage> handled = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ctwing/", this::endpoint);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** The endpoint: /ctwing/{token}; 200 for a new or repeated push, else the refusal's status. */
    private void endpoint(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status;
            try {
                String path = exchange.getRequestURI().getPath();
                PushToken.check(token, path.substring(path.lastIndexOf('/') + 1));
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readNBytes(CtwingPushParser.MAX_BODY_BYTES + 1);
                }
                CtwingMessage message = CtwingPushParser.parse(body);
                if (seen.add(message.dedupKey())) {
                    handled.add(message);
                }
                status = 200;
            } catch (PushRejected rejected) {
                status = rejected.code().httpStatus();
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    private URI url(String presentedToken) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ctwing/" + presentedToken);
    }

    @Test
    void retriedPushIsHandledOnce() throws Exception {
        // Verifies that a push delivered 1 + 3 times (CTWing's retries), once with its fields reordered, is answered
        // 200 each time and handled once; a different report is handled too.
        // GIVEN the documented data report
        FakeCtwingPushes.Push push = FakeCtwingPushes.specDataReport();
        // WHEN it is delivered four times and another report once
        for (int i = 0; i < 3; i++) {
            assertThat(FakeCtwingPushes.post(client, url(token), push.bytes())).isEqualTo(200);
        }
        assertThat(FakeCtwingPushes.post(client, url(token), push.reversedBytes())).isEqualTo(200);
        assertThat(FakeCtwingPushes.post(client, url(token), FakeCtwingPushes.specEventReport("d1").bytes())).isEqualTo(200);
        // THEN two messages were handled
        assertThat(handled).extracting(CtwingMessage::messageType).containsExactly("dataReport", "eventReport");
    }

    @Test
    void refusalsMapToStatuses() throws Exception {
        // Verifies that a wrong token is 401, a malformed body 400, an oversized body 413, and nothing is handled.
        // GIVEN / WHEN / THEN
        assertThat(FakeCtwingPushes.post(client, url(PushToken.generate()), FakeCtwingPushes.specDataReport().bytes())).isEqualTo(401);
        assertThat(FakeCtwingPushes.post(client, url(token), "{\"messageType\":".getBytes(StandardCharsets.UTF_8))).isEqualTo(400);
        byte[] huge = new byte[CtwingPushParser.MAX_BODY_BYTES + 10];
        assertThat(FakeCtwingPushes.post(client, url(token), huge)).isEqualTo(413);
        assertThat(handled).isEmpty();
        assertThat(seen).isEmpty();
    }
}
