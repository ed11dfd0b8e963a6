package io.thingport.network.coap;

import static io.thingport.network.coap.RawCoap.ACK;
import static io.thingport.network.coap.RawCoap.CON;
import static io.thingport.network.coap.RawCoap.GET;
import static io.thingport.network.coap.RawCoap.POST;
import static io.thingport.network.coap.RawCoap.URI_PATH;
import static io.thingport.network.coap.RawCoap.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.network.testkit.RecordingListener;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A flood of requests from forged source addresses leaves no lasting state: over real UDP on 127.0.0.1, 2,000
 * requests each from a new source port (a socket opened, sent from once and closed, as a forged source never answers)
 * hold at most the configured number of entries, and those are gone within the configured seconds.
 */
class CoapSpoofedSourcesTest {
    private static final int SOURCES = 2_000;
    private static final byte[] TOKEN = {0x51, 0x0f};

    private CoapServerComponent server;
    private InetSocketAddress target;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void requestsFromManySourcesAreRememberedAtMostMaxPeersAndForgottenWithinDedupSeconds() throws IOException {
        // Verifies maxPeers and dedupSeconds on the duplicate detection: 2,000 requests without credentials from
        // 2,000 source ports never make the server remember more than maxPeers = 200 of them, and all are forgotten
        // within dedupSeconds = 2 (plus the sweep) after the last one. With Californium's defaults it remembers all
        // 2,000 for EXCHANGE_LIFETIME (247 s).
        server = start(new RecordingListener(), Map.of("maxPeers", "200", "dedupSeconds", "2"));
        int[] most = new int[1];
        floodFromNewSources(i -> RawCoap.request(CON, GET, i, TOKEN, options(URI_PATH, "p1"), new byte[0]),
                () -> most[0] = Math.max(most[0], server.rememberedRequests()));

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(server.rememberedRequests()).isEqualTo(200));
        assertThat(most[0]).as("requests remembered during the flood").isLessThanOrEqualTo(200);
        long flooded = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> server.rememberedRequests() == 0);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - flooded)).as("ms until all were forgotten")
                .isLessThan(3_500);
    }

    @Test
    void loginsFromManySourcesWaitAtMostMaxPendingLoginsAndAreRefusedAfterLoginTimeout() throws IOException {
        // Verifies maxPendingLogins and loginTimeout: while the platform does not answer login checks, 2,000 logins
        // from 2,000 source ports reach it at most maxPendingLogins = 50 times before the first one times out, a
        // further login is refused at once with a bare 5.03 (piggy-backed, no payload), and after loginTimeout = 1 s
        // nothing waits any more; a session the platform opens for a login that timed out is closed at once, and a
        // device logs in normally again.
        HeldLogins platform = new HeldLogins();
        server = start(platform, Map.of("maxPendingLogins", "50", "loginTimeout", "1"));
        for (int i = 0; i < 50; i++) {
            sendFromNewSource(login(i));
        }
        await().atMost(Duration.ofSeconds(1)).until(() -> server.pendingLogins() == 50);
        try (DatagramSocket device = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] request = login(60_000);
            device.send(new DatagramPacket(request, request.length, target));
            byte[] answer = receive(device);
            assertThat(answer[0] >> 4 & 0x03).as("type").isEqualTo(ACK);
            assertThat(answer[1] & 0xFF).as("code 5.03").isEqualTo(0xA3);
            assertThat(answer).as("bare: header and token only").hasSize(4 + TOKEN.length);
        }
        int[] most = new int[1];
        floodFromNewSources(i -> login(50 + i), () -> most[0] = Math.max(most[0], server.pendingLogins()));

        assertThat(most[0]).as("logins waiting during the flood").isLessThanOrEqualTo(50);
        // No login can time out sooner than 1 s after the first reached the platform (less a margin: its ticket was
        // taken just before), so no slot could free up before.
        long window = platform.firstAsked() + TimeUnit.MILLISECONDS.toNanos(950);
        assertThat(platform.asked.stream().filter(t -> t < window).count())
                .as("logins the platform was asked to check before the first one could time out").isLessThanOrEqualTo(50);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> server.pendingLogins() == 0);

        // The platform answers the held checks late: the sessions they open are closed at once.
        AuthResult accepted = AuthResult.accept("dev-late", "p1");
        platform.checks.forEach(f -> f.complete(accepted));
        assertThat(server.connectionCount()).isZero();
        assertThat(platform.connected.get()).isEqualTo(platform.checks.size());
        assertThat(platform.disconnects).hasSize(platform.checks.size()).allMatch(r -> r.contains("after loginTimeout (1 s)"));

        platform.answerAtOnce = true;
        try (DatagramSocket device = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] request = login(60_001);
            device.send(new DatagramPacket(request, request.length, target));
            byte[] answer = receive(device);
            assertThat(answer[1] & 0xFF).as("code 2.05").isEqualTo(0x45);
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).contains("\"token\":");
        }
    }

    @Test
    void aBlockwiseUploadIsForgottenDedupSecondsAfterItsLastBlock() throws IOException, InterruptedException {
        // Verifies that dedupSeconds also ends a block-wise upload a source started (Californium holds its buffer of
        // maxMessageLength bytes from the first block, by default for 300 s): a second block sent at once completes
        // the upload (the request then reaches the server: 4.01, no credentials), one sent after dedupSeconds = 1
        // (and the sweep) finds nothing to continue: 4.08 Request Entity Incomplete.
        server = start(new RecordingListener(), Map.of("dedupSeconds", "1"));
        try (DatagramSocket device = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            assertThat(block(device, 1, 0x08)).as("first block: 2.31 Continue").isEqualTo(0x5F);
            assertThat(block(device, 2, 0x10)).as("last block at once: 4.01").isEqualTo(0x81);

            assertThat(block(device, 3, 0x08)).as("first block: 2.31 Continue").isEqualTo(0x5F);
            Thread.sleep(2_500);
            assertThat(block(device, 4, 0x10)).as("last block after dedupSeconds: 4.08").isEqualTo(0x88);
        }
    }

    /** Sends a POST with 16 bytes of payload and the Block1 option {@code block1}; the answer's code. */
    private int block(DatagramSocket device, int messageId, int block1) throws IOException {
        byte[] request = RawCoap.request(CON, POST, messageId, TOKEN, options(URI_PATH, "p1", 27, new byte[] {(byte) block1}),
                new byte[16]);
        device.send(new DatagramPacket(request, request.length, target));
        return receive(device)[1] & 0xFF;
    }

    private CoapServerComponent start(TransportListener listener, Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(settings);
        properties.put("host", "127.0.0.1");
        properties.put("port", "0");
        NetworkComponentConfig config = new NetworkComponentConfig("spoofed", "coap-server", properties);
        CoapServerComponent component = CoapServerComponent.start(config, CoapServerSettings.from(config), listener);
        target = new InetSocketAddress("127.0.0.1", component.boundAddress().getPort());
        return component;
    }

    /** A complete login (GET, all three credential options), message id {@code i}. */
    private static byte[] login(int i) {
        return RawCoap.request(CON, GET, i, TOKEN, options(URI_PATH, "p1", 2100, "dev-" + i, 2104, "user", 2108, "good"),
                new byte[0]);
    }

    /** Sends {@link #SOURCES} requests, each from a new source port; {@code sample} runs after every 50th. */
    private void floodFromNewSources(IntFunction<byte[]> request, Runnable sample) throws IOException {
        for (int i = 0; i < SOURCES; i++) {
            sendFromNewSource(request.apply(i));
            if (i % 50 == 0) {
                sample.run();
            }
        }
        sample.run();
    }

    /** One datagram from a new socket that is closed at once: nothing ever answers the server from there. */
    private void sendFromNewSource(byte[] datagram) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.send(new DatagramPacket(datagram, datagram.length, target));
        }
    }

    private static byte[] receive(DatagramSocket socket) throws IOException {
        socket.setSoTimeout(5_000);
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        do {
            socket.receive(packet);
            // An empty ACK (the answer follows separately) is skipped.
        } while (packet.getLength() > 1 && (packet.getData()[1] & 0xFF) == 0);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    /** A platform whose login checks wait until the test answers them, unless {@link #answerAtOnce}. */
    private static final class HeldLogins implements TransportListener {
        final List<CompletableFuture<AuthResult>> checks = new CopyOnWriteArrayList<>();
        final List<Long> asked = new CopyOnWriteArrayList<>();
        final List<String> disconnects = new CopyOnWriteArrayList<>();
        final AtomicInteger connected = new AtomicInteger();
        volatile boolean answerAtOnce;

        long firstAsked() {
            return asked.get(0);
        }

        @Override
        public CompletionStage<AuthResult> authenticate(AuthRequest request) {
            if (answerAtOnce) {
                return CompletableFuture.completedFuture(RecordingListener.defaultAuth(request));
            }
            asked.add(System.nanoTime());
            CompletableFuture<AuthResult> check = new CompletableFuture<>();
            checks.add(check);
            return check;
        }

        @Override
        public void connected(TransportConnection connection, AuthResult result) {
            connected.incrementAndGet();
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
            disconnects.add(reason);
        }
    }
}
