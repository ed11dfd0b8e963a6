package io.thingport.network.websocket;

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
import io.thingport.network.testkit.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The WebSocket server against the JDK's WebSocket client over real sockets, with the test kit's platform. */
class WebSocketServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final RecordingListener listener = new RecordingListener();
    private final List<WebSocket> sockets = new ArrayList<>();
    private NetworkComponent server;
    private int port;

    /** Collects what the server sends to one client. */
    static final class Device implements WebSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<byte[]> binaries = new CopyOnWriteArrayList<>();
        volatile int closeCode = -1;
        volatile String closeReason;
        volatile Throwable error;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                binaries.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeReason = reason;
            closeCode = statusCode;
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable e) {
            error = e;
        }

        boolean closed() {
            return closeCode != -1 || error != null;
        }
    }

    @AfterEach
    void stop() {
        for (WebSocket ws : sockets) {
            ws.abort();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(Map<String, String> properties) {
        server = new WebSocketServerProvider().start(config("test", properties), listener);
        port = server.boundAddress().getPort();
    }

    private static NetworkComponentConfig config(String id, Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0"));
        all.putAll(properties);
        return new NetworkComponentConfig(id, "websocket-server", all);
    }

    private WebSocket open(HttpClient client, String uri, Device device) throws Exception {
        WebSocket ws = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(URI.create(uri), device)
                .get(10, TimeUnit.SECONDS);
        sockets.add(ws);
        return ws;
    }

    private WebSocket open(String path, Device device) throws Exception {
        return open(PLAIN, "ws://127.0.0.1:" + port + path, device);
    }

    private WebSocket login(String deviceId, Device device) throws Exception {
        int before = listener.connections.size();
        WebSocket ws = open("/", device);
        ws.sendText("login " + deviceId + " good", true).get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> device.texts.contains("auth ok") && listener.connections.size() == before + 1);
        return ws;
    }

    @Test
    void loginReportsAndDownlinks() throws Exception {
        // Verifies the first message as login, text/binary/fragmented uplinks, and text vs binary downlinks.
        start(Map.of());
        Device device = new Device();
        WebSocket ws = login("dev-1", device);
        assertThat(listener.logins.get(0).transport()).isEqualTo(Transport.WEBSOCKET);
        assertThat(new String(listener.logins.get(0).frame(), StandardCharsets.UTF_8)).isEqualTo("login dev-1 good");
        ws.sendText("report-1", true).get(5, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, (byte) 0xFF}), true).get(5, TimeUnit.SECONDS);
        ws.sendText("frag-", false).get(5, TimeUnit.SECONDS);
        ws.sendText("ment", true).get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> listener.received.size() == 3);
        assertThat(listener.texts().get(0)).isEqualTo("report-1");
        assertThat(listener.received.get(1).message().payload()).containsExactly(1, 2, 0xFF);
        assertThat(listener.texts().get(2)).isEqualTo("frag-ment");
        assertThat(listener.received.get(0).message().topic()).isEmpty();

        TransportConnection connection = listener.connections.get(0);
        assertThat(connection.transport()).isEqualTo(Transport.WEBSOCKET);
        connection.send(EncodedMessage.of("/ignored", "{\"cmd\":\"ä\"}")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        connection.send(new EncodedMessage("", new byte[] {(byte) 0xC3, 0x28}, Map.of())).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> device.texts.contains("{\"cmd\":\"ä\"}") && device.binaries.size() == 1);
        assertThat(device.binaries.get(0)).containsExactly(0xC3, 0x28);
        assertThat(device.texts).containsExactly("auth ok", "{\"cmd\":\"ä\"}");
    }

    @Test
    void otherPathsAreAnswered404() throws Exception {
        // Verifies the path key: the configured path works with a query string, any other path gets 404.
        start(Map.of("path", "/ws"));
        Device device = new Device();
        WebSocket ws = open("/ws?token=abc", device);
        ws.sendText("login dev-1 good", true).get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> device.texts.contains("auth ok"));

        assertThatThrownBy(() -> open("/other", new Device())).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
        HttpResponse<String> response = PLAIN.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("/ws");
        ws.sendText("still open", true).get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> listener.texts().contains("still open"));
    }

    @Test
    void anOversizedMessageClosesWith1009AndOthersKeepWorking() throws Exception {
        // Verifies maxMessageLength for one big frame and for a fragmented message; another client is unaffected.
        start(Map.of("maxMessageLength", "1024"));
        Device good = new Device();
        WebSocket goodWs = login("dev-good", good);
        Device big = new Device();
        WebSocket bigWs = login("dev-big", big);
        bigWs.sendText("x".repeat(2000), true);
        await().atMost(WAIT).until(() -> big.closeCode == 1009);
        Device fragmented = new Device();
        WebSocket fragmentedWs = login("dev-fragmented", fragmented);
        fragmentedWs.sendText("a".repeat(600), false).get(5, TimeUnit.SECONDS);
        fragmentedWs.sendText("b".repeat(600), true);
        await().atMost(WAIT).until(() -> fragmented.closeCode == 1009);
        assertThat(fragmented.closeReason).isEqualTo("frame longer than maxMessageLength 1024 bytes");
        await().atMost(WAIT).until(() -> listener.disconnects.size() == 2);
        assertThat(listener.disconnects).containsOnly("frame longer than maxMessageLength 1024 bytes");
        goodWs.sendText("x".repeat(1024), true).get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> listener.texts().contains("x".repeat(1024)));
        assertThat(good.closed()).isFalse();
    }

    @Test
    void aFrameHeaderDeclaringAHugePayloadClosesWith1009AtOnce() throws Exception {
        // Verifies that a frame header declaring 2^40 bytes closes the connection with 1009 as soon as it is read, before
        // and after the login, without waiting for the payload nor for authTimeout / idleTimeout (30 s here).
        start(Map.of("authTimeout", "30", "idleTimeout", "30"));
        Duration atOnce = Duration.ofSeconds(5);
        try (RawWebSocket before = RawWebSocket.open(port)) {
            before.write(RawWebSocket.header(0x82, 1L << 40));
            await().atMost(atOnce).until(before::isClosed);
            assertThat(before.closeStatus()).isEqualTo(1009);
        }
        assertThat(listener.logins).isEmpty();

        try (RawWebSocket after = RawWebSocket.open(port)) {
            after.write(RawWebSocket.text("login dev-1 good"));
            await().atMost(WAIT).until(() -> listener.connections.size() == 1);
            after.write(RawWebSocket.header(0x81, 1L << 40));
            after.write("xyz".getBytes(StandardCharsets.UTF_8));
            await().atMost(atOnce).until(after::isClosed);
            assertThat(after.closeStatus()).isEqualTo(1009);
        }
        await().atMost(atOnce).until(() -> listener.disconnects.equals(List.of("frame longer than maxMessageLength 65536 bytes")));
        assertThat(listener.received).isEmpty();
    }

    /**
     * A WebSocket client on a raw socket: it sends exactly the bytes it is given after the upgrade, so that it can send
     * a frame header without its payload, and collects what the server sends until EOF.
     */
    private static final class RawWebSocket implements AutoCloseable {
        private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};
        private final Socket socket;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private volatile boolean closed;

        private RawWebSocket(Socket socket) {
            this.socket = socket;
        }

        static RawWebSocket open(int port) throws Exception {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            StringBuilder response = new StringBuilder();
            while (!response.toString().endsWith("\r\n\r\n")) {
                int b = socket.getInputStream().read();
                assertThat(b).as("the upgrade response").isNotNegative();
                response.append((char) b);
            }
            assertThat(response.toString()).startsWith("HTTP/1.1 101");
            RawWebSocket ws = new RawWebSocket(socket);
            Thread reader = new Thread(ws::read, "websocket-raw-client");
            reader.setDaemon(true);
            reader.start();
            return ws;
        }

        private void read() {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = socket.getInputStream().read(buf)) >= 0) {
                    synchronized (received) {
                        received.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // a reset counts as closed
            } finally {
                closed = true;
            }
        }

        /** The header of a masked frame ({@code first} = FIN + opcode) declaring {@code length} payload bytes. */
        static byte[] header(int first, long length) {
            ByteBuffer b = ByteBuffer.allocate(14).put((byte) first);
            if (length < 126) {
                b.put((byte) (0x80 | length));
            } else if (length < 65_536) {
                b.put((byte) (0x80 | 126)).putShort((short) length);
            } else {
                b.put((byte) (0x80 | 127)).putLong(length);
            }
            b.put(MASK);
            return Arrays.copyOf(b.array(), b.position());
        }

        /** A whole masked text frame. */
        static byte[] text(String text) {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(header(0x81, payload.length));
            for (int i = 0; i < payload.length; i++) {
                out.write(payload[i] ^ MASK[i % 4]);
            }
            return out.toByteArray();
        }

        void write(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        boolean isClosed() {
            return closed;
        }

        /** The status of the close frame the server sent, or -1 if it sent none. */
        int closeStatus() {
            byte[] bytes;
            synchronized (received) {
                bytes = received.toByteArray();
            }
            int i = 0;
            while (i + 2 <= bytes.length) {
                int opcode = bytes[i] & 0x0F;
                int length = bytes[i + 1] & 0x7F;
                int start = i + 2;
                if (length == 126) {
                    length = ((bytes[i + 2] & 0xFF) << 8) | (bytes[i + 3] & 0xFF);
                    start = i + 4;
                }
                if (opcode == 0x8 && length >= 2) {
                    return ((bytes[start] & 0xFF) << 8) | (bytes[start + 1] & 0xFF);
                }
                i = start + length;
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aRefusedLoginGetsTheReplyThenAPolicyClose() throws Exception {
        // Verifies refusal: "auth refused" arrives, then close 1008 with the reason; the server keeps accepting.
        start(Map.of());
        Device device = new Device();
        WebSocket ws = open("/", device);
        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> device.closeCode == 1008);
        assertThat(device.texts).containsExactly("auth refused");
        assertThat(device.closeReason).isEqualTo("login refused: bad login frame");
        assertThat(listener.connections).isEmpty();
        login("dev-2", new Device());
    }

    @Test
    void aForbiddenUplinkClosesWithPolicyViolation() throws Exception {
        start(Map.of());
        Device device = new Device();
        WebSocket ws = login("dev-1", device);
        ws.sendText("/forbidden/x", true).get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> device.closeCode == 1008);
        assertThat(device.closeReason).isEqualTo("forbidden: not yours");
        await().atMost(WAIT).until(() -> listener.disconnects.equals(List.of("forbidden: not yours")));
    }

    @Test
    void idleConnectionsCloseWhilePingsKeepAConnectionAlive() throws Exception {
        // Verifies idleTimeout: a silent connection is closed; WebSocket pings count as traffic.
        start(Map.of("idleTimeout", "2"));
        Device silent = new Device();
        login("dev-silent", silent);
        Device pinging = new Device();
        WebSocket pingingWs = login("dev-pinging", pinging);
        for (int i = 0; i < 14; i++) {
            pingingWs.sendPing(ByteBuffer.wrap(new byte[] {1})).get(5, TimeUnit.SECONDS);
            Thread.sleep(300);
        }
        await().atMost(WAIT).until(() -> silent.closeCode == 1000);
        assertThat(silent.closeReason).isEqualTo("no traffic for idleTimeout 2 s");
        assertThat(pinging.closed()).isFalse();
        assertThat(listener.disconnects).containsExactly("no traffic for idleTimeout 2 s");
    }

    @Test
    void aConnectionThatNeverLogsInIsClosed() throws Exception {
        // Verifies authTimeout after the WebSocket opened without a login message.
        start(Map.of("authTimeout", "1"));
        Device device = new Device();
        open("/", device);
        await().atMost(WAIT).until(() -> device.closeCode == 1000);
        assertThat(device.closeReason).isEqualTo("no login frame within authTimeout 1 s");
        assertThat(listener.logins).isEmpty();
    }

    @Test
    void rawSocketsThatNeverUpgradeOrSendGarbageAreClosed() throws Exception {
        // Verifies authTimeout before the HTTP upgrade (a silent or half-open socket) and garbage instead of HTTP.
        start(Map.of("authTimeout", "1"));
        try (Socket silent = new Socket("127.0.0.1", port);
             Socket garbage = new Socket("127.0.0.1", port)) {
            silent.setSoTimeout(10_000);
            garbage.setSoTimeout(10_000);
            garbage.getOutputStream().write(new byte[] {0, 1, 2, (byte) 0xFF, '\r', '\n', '\r', '\n'});
            garbage.getOutputStream().flush();
            assertThat(silent.getInputStream().readAllBytes()).isEmpty();
            assertThat(new String(garbage.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 4");
        }
        assertThat(listener.logins).isEmpty();
        login("dev-1", new Device());
    }

    @Test
    void slowStorageStopsReading() throws Exception {
        // Verifies back-pressure: at most maxInflight messages reach the platform while storage is stalled.
        listener.gate = new CompletableFuture<>();
        start(Map.of("maxInflight", "2"));
        WebSocket ws = login("dev-1", new Device());
        for (int i = 0; i < 10; i++) {
            ws.sendText("m" + i, true).get(5, TimeUnit.SECONDS);
        }
        await().atMost(WAIT).until(() -> listener.received.size() == 2);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> listener.received.size() == 2);
        listener.gate.complete(null);
        await().atMost(WAIT).until(() -> listener.received.size() == 10);
        assertThat(listener.texts()).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    }

    @Test
    void aMessageThePlatformDidNotTakeIsOfferedAgainAndAnsweredOnlyOnceTaken() throws Exception {
        // Verifies UNAVAILABLE (the platform at its bound): the WebSocket stays open, the message goes again after pauses
        // before the ones sent after it, and the platform's replies come only for messages it took, in order.
        // GIVEN a platform that refuses the next three messages as being at its bound and answers each one it takes
        listener.unavailable.set(3);
        listener.reply = m -> EncodedMessage.of("", "ack " + m.payloadAsText());
        start(Map.of());
        Device device = new Device();
        WebSocket ws = login("dev-1", device);

        // WHEN the device sends three messages
        for (String m : new String[] {"m1", "m2", "m3"}) {
            ws.sendText(m, true).get(5, TimeUnit.SECONDS);
        }

        // THEN while the first is being refused, nothing is answered
        await().atMost(WAIT).until(() -> listener.received.size() >= 3);
        List<String> answeredWhileRefused = List.copyOf(device.texts);
        // AND once taken, each message is answered once, in order, on the same WebSocket
        await().atMost(WAIT).until(() -> device.texts.size() == 4);
        assertThat(answeredWhileRefused).containsExactly("auth ok");
        assertThat(device.texts).containsExactly("auth ok", "ack m1", "ack m2", "ack m3");
        assertThat(listener.texts()).containsExactly("m1", "m1", "m1", "m1", "m2", "m3");
        assertThat(device.closed()).isFalse();
        assertThat(listener.disconnects).isEmpty();
    }

    private void startTls() {
        TestPki pki = TestPki.get();
        server = new WebSocketServerProvider().start(pki.tlsConfig("tls", "websocket-server",
                Map.of("host", "127.0.0.1", "port", "0", "clientAuth", "require")), listener);
        port = server.boundAddress().getPort();
    }

    private static HttpClient tlsClient(SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void wssWithATrustedClientCertificate() throws Exception {
        // Verifies wss:// with mutual TLS: the verified chain reaches the login request.
        startTls();
        Device device = new Device();
        WebSocket ws = open(tlsClient(TestPki.get().clientContext("client")), "wss://127.0.0.1:" + port + "/", device);
        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        ws.sendText("report", true).get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> listener.texts().equals(List.of("report")));
        assertThat(listener.logins.get(0).certificates().get(0).getSubjectX500Principal().getName()).contains("CN=dev-1");
        listener.connections.get(0).send(EncodedMessage.of("", "down")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> device.texts.equals(List.of("down")));
    }

    @Test
    void anUntrustedClientCertificateIsRefusedAndOthersStillWork() throws Exception {
        // Verifies that the rogue certificate (another CA) and no certificate cannot open a WebSocket.
        startTls();
        assertThatThrownBy(() -> open(tlsClient(TestPki.get().clientContext("rogue")), "wss://127.0.0.1:" + port + "/", new Device()))
                .isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> open(tlsClient(TestPki.get().clientContext(null)), "wss://127.0.0.1:" + port + "/", new Device()))
                .isInstanceOf(ExecutionException.class);
        assertThat(listener.logins).isEmpty();
        WebSocket ws = open(tlsClient(TestPki.get().clientContext("client")), "wss://127.0.0.1:" + port + "/", new Device());
        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> listener.connections.size() == 1);
    }

    @Test
    void closeReportsEveryConnectionAndSaysGoingAway() throws Exception {
        // Verifies close(): each connection reported once with the stop reason; devices get close 1001.
        start(Map.of());
        Device a = new Device();
        login("dev-a", a);
        Device b = new Device();
        login("dev-b", b);
        open("/", new Device());
        await().atMost(WAIT).until(() -> server.connectionCount() == 3);
        server.close();
        await().atMost(WAIT).until(() -> listener.disconnects.size() == 2);
        assertThat(listener.disconnects).containsOnly("network component test stopped");
        await().atMost(WAIT).until(() -> a.closeCode == 1001 && b.closeCode == 1001);
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void aPortInUseIsAConflict() {
        start(Map.of());
        assertThatThrownBy(() -> new WebSocketServerProvider().start(config("second", Map.of("port", Integer.toString(port))), listener))
                .isInstanceOf(ThingportException.class).hasMessageContaining("network component second")
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.CONFLICT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "framing=delimiter; unknown key 'framing'",
            "port=; port is required",
            "path=ws; path 'ws' must start with /",
            "path=/ws?x=1; must start with / and hold no query",
            "maxMessageLength=abc; maxMessageLength 'abc' is not a whole number",
            "maxInflight=0; maxInflight 0 is out of range",
            "idleTimeout=100000; idleTimeout 100000 is out of range",
            "authTimeout=0; authTimeout 0 is out of range",
            "clientAuth=optional; clientAuth = optional needs TLS"})
    void badConfigurationIsRefused(String properties, String message) {
        Map<String, String> props = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0"));
        String[] kv = properties.split("=", 2);
        props.put(kv[0], kv[1]);
        assertThatThrownBy(() -> new WebSocketServerProvider().start(new NetworkComponentConfig("bad", "websocket-server", props),
                listener))
                .isInstanceOf(ThingportException.class).hasMessageContaining("network component bad").hasMessageContaining(message)
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void providerNamesItsTypeAndTransport() {
        assertThat(new WebSocketServerProvider().type()).isEqualTo("websocket-server");
        assertThat(new WebSocketServerProvider().transport()).isEqualTo(Transport.WEBSOCKET);
    }

    @Test
    void longCloseReasonsAreCutToTheProtocolLimit() {
        String reason = WebSocketFrames.truncate("ä".repeat(200));
        assertThat(reason.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(reason).endsWith("...");
        assertThat(WebSocketFrames.isUtf8("ok ä".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(WebSocketFrames.isUtf8(new byte[] {(byte) 0xC3, 0x28})).isFalse();
    }
}
