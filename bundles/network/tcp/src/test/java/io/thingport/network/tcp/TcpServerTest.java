package io.thingport.network.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import io.thingport.network.testkit.RecordingListener;
import io.thingport.network.testkit.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TCP server against real sockets on 127.0.0.1, with the test kit's scripted platform behind it. */
class TcpServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RecordingListener listener = new RecordingListener();
    private final List<TestClient> clients = new ArrayList<>();
    private NetworkComponent server;
    private int port;

    @AfterEach
    void stop() throws Exception {
        for (TestClient c : clients) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private NetworkComponent start(Map<String, String> properties) {
        server = new TcpServerProvider().start(config("test", properties), listener);
        port = server.boundAddress().getPort();
        return server;
    }

    private static NetworkComponentConfig config(String id, Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0"));
        all.putAll(properties);
        return new NetworkComponentConfig(id, "tcp-server", all);
    }

    private TestClient connect() throws Exception {
        TestClient c = TestClient.connect(port);
        clients.add(c);
        return c;
    }

    /** Connects and logs in with delimiter framing; returns once the platform has the connection. */
    private TestClient login(String device) throws Exception {
        int before = listener.connections.size();
        TestClient c = connect().write("login " + device + " good\n");
        await().atMost(WAIT).until(() -> c.text().equals("auth ok\n") && listener.connections.size() == before + 1);
        return c;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ delimiter framing

    @Test
    void delimiterFramesSplitAcrossWritesAndGluedInOneWrite() throws Exception {
        // Verifies the default "\n" framing: a login split in three segments, then frames glued and split.
        start(Map.of());
        TestClient c = connect().writeParts("log", "in dev-1 go", "od\n");
        await().atMost(WAIT).until(() -> c.text().equals("auth ok\n"));
        assertThat(listener.logins).hasSize(1);
        assertThat(new String(listener.logins.get(0).frame(), StandardCharsets.UTF_8)).isEqualTo("login dev-1 good");
        assertThat(listener.logins.get(0).transport()).isEqualTo(Transport.TCP);
        assertThat(listener.logins.get(0).remoteAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        c.writeParts("a1\na2\na", "3\n", "a4\n\na5\n");
        await().atMost(WAIT).until(() -> listener.received.size() == 5);
        assertThat(listener.texts()).containsExactly("a1", "a2", "a3", "a4", "a5");
        assertThat(listener.received).allSatisfy(r -> {
            assertThat(r.message().topic()).isEmpty();
            assertThat(r.connection().transport()).isEqualTo(Transport.TCP);
        });
    }

    @Test
    void framesGluedToTheLoginAreHeldAndDeliveredInOrderAfterIt() throws Exception {
        // Verifies that frames arriving while the login is checked wait for it and keep their order.
        start(Map.of());
        TestClient c = connect().write("login dev-1 good\nfirst\nsecond\nthird\n");
        await().atMost(WAIT).until(() -> listener.received.size() == 3);
        assertThat(listener.texts()).containsExactly("first", "second", "third");
        assertThat(c.text()).isEqualTo("auth ok\n");
        assertThat(listener.connections).hasSize(1);
    }

    @Test
    void delimiterDownlinksGetTheDelimiterAppended() throws Exception {
        // Verifies downlink framing and that a payload holding the delimiter is refused, not split on the wire.
        start(Map.of());
        TestClient c = login("dev-1");
        TransportConnection connection = listener.connections.get(0);
        connection.send(EncodedMessage.of("/ignored/topic", "down-1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> c.text().equals("auth ok\ndown-1\n"));
        assertThatThrownBy(() -> connection.send(EncodedMessage.of("", "a\nb")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ThingportException.class)
                .hasMessageContaining("delimiter")
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.remoteAddress().getPort()).isPositive();
    }

    @Test
    void hexAndEscapedDelimiters() throws Exception {
        // Verifies delimiter = 0x0D0A with CR and LF arriving in different segments, and the \r\n escape form.
        start(Map.of("delimiter", "0x0D0A"));
        TestClient c = connect().writeParts("login dev-1 good\r", "\nx\ny\r", "\nz\r\n");
        await().atMost(WAIT).until(() -> listener.received.size() == 2);
        assertThat(listener.texts()).containsExactly("x\ny", "z");
        assertThat(c.text()).isEqualTo("auth ok\r\n");
        listener.connections.get(0).send(EncodedMessage.of("", "d")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> c.text().equals("auth ok\r\nd\r\n"));
        server.close();

        start(Map.of("delimiter", "\\r\\n"));
        TestClient c2 = connect().writeParts("login dev-2 good\r\nq", "\r\n");
        await().atMost(WAIT).until(() -> listener.texts().contains("q"));
        assertThat(c2.text()).isEqualTo("auth ok\r\n");
    }

    @Test
    void parsesDelimiterEscapes() {
        assertThat(TcpServerSettings.parseDelimiter("t", null)).containsExactly('\n');
        assertThat(TcpServerSettings.parseDelimiter("t", "\\n")).containsExactly('\n');
        assertThat(TcpServerSettings.parseDelimiter("t", "\\r\\n")).containsExactly('\r', '\n');
        assertThat(TcpServerSettings.parseDelimiter("t", "\\t|\\\\")).containsExactly('\t', '|', '\\');
        assertThat(TcpServerSettings.parseDelimiter("t", "\\0")).containsExactly(0);
        assertThat(TcpServerSettings.parseDelimiter("t", "0x0d0A")).containsExactly(0x0D, 0x0A);
        assertThat(TcpServerSettings.parseDelimiter("t", "##")).containsExactly('#', '#');
        assertThat(TcpServerSettings.parseDelimiter("t", " ")).containsExactly(' ');
        assertThatThrownBy(() -> TcpServerSettings.parseDelimiter("t", "\\q")).hasMessageContaining("unknown escape \\q");
        assertThatThrownBy(() -> TcpServerSettings.parseDelimiter("t", "0x0D0")).hasMessageContaining("not hex bytes");
        assertThatThrownBy(() -> TcpServerSettings.parseDelimiter("t", "ab\\")).hasMessageContaining("lone backslash");
    }

    // ------------------------------------------------------------------ fixed framing

    private static EncodedMessage padded(String text, int length) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) ' ');
        byte[] t = bytes(text);
        System.arraycopy(t, 0, out, 0, t.length);
        return new EncodedMessage("", out, Map.of());
    }

    @Test
    void fixedLengthFramesAndDownlinks() throws Exception {
        // Verifies frameLength framing across splits and glued writes, and that downlinks must have frameLength bytes.
        listener.auth = r -> {
            AuthResult a = RecordingListener.defaultAuth(r);
            return a.withReply(padded(a.accepted() ? "auth ok" : "auth refused", 16));
        };
        start(Map.of("framing", "fixed", "frameLength", "16"));
        // "login dev-1 good" is exactly 16 bytes
        TestClient c = connect().writeParts("login de", "v-1 good0123456789", "abcdefABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "tail");
        await().atMost(WAIT).until(() -> listener.received.size() == 3);
        assertThat(listener.texts()).containsExactly("0123456789abcdef", "ABCDEFGHIJKLMNOP", "QRSTUVWXYZ012345");
        assertThat(c.text()).isEqualTo("auth ok         ");

        TransportConnection connection = listener.connections.get(0);
        connection.send(new EncodedMessage("", bytes("exactly-16-bytes"), Map.of())).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> c.text().equals("auth ok         exactly-16-bytes"));
        assertThatThrownBy(() -> connection.send(EncodedMessage.of("", "short")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(ThingportException.class).hasMessageContaining("exactly frameLength 16 bytes")
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aLoginReplyThatCannotBeFramedClosesTheConnectionWithTheReason() throws Exception {
        // Verifies that a reply the framing cannot carry (7 bytes with frameLength 16) does not go out half-framed.
        start(Map.of("framing", "fixed", "frameLength", "16"));
        TestClient c = connect().write("login dev-1 good");
        await().atMost(WAIT).until(c::isClosed);
        assertThat(c.bytes()).isEmpty();
        assertThat(listener.connections).isEmpty();
    }

    // ------------------------------------------------------------------ length framing

    private static byte[] lengthField(int size, ByteOrder order, long value) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(value);
        byte[] big = Arrays.copyOfRange(b.array(), 8 - size, 8);
        if (order == ByteOrder.LITTLE_ENDIAN) {
            for (int i = 0; i < size / 2; i++) {
                byte t = big[i];
                big[i] = big[size - 1 - i];
                big[size - 1 - i] = t;
            }
        }
        return big;
    }

    @ParameterizedTest(name = "{0}-byte {1} endian length field")
    @CsvSource({"1,big", "2,big", "2,little", "3,big", "3,little", "4,big", "4,little", "8,big", "8,little"})
    void lengthFieldFramesAndDownlinks(int size, String order) throws Exception {
        // Verifies length framing with the header split across segments, glued frames, and prefixed downlinks.
        ByteOrder byteOrder = order.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        start(Map.of("framing", "length", "lengthFieldLength", Integer.toString(size), "byteOrder", order));
        byte[] login = concat(lengthField(size, byteOrder, 16), bytes("login dev-1 good"));
        TestClient c = connect().writeParts(Arrays.copyOfRange(login, 0, 1),
                Arrays.copyOfRange(login, 1, size + 3), Arrays.copyOfRange(login, size + 3, login.length));
        byte[] okReply = concat(lengthField(size, byteOrder, 7), bytes("auth ok"));
        await().atMost(WAIT).until(() -> c.received(okReply));
        byte[] glued = concat(lengthField(size, byteOrder, 2), bytes("a1"), lengthField(size, byteOrder, 0),
                lengthField(size, byteOrder, 3), bytes("a22"), lengthField(size, byteOrder, 4), bytes("a333"));
        c.writeParts(Arrays.copyOfRange(glued, 0, glued.length - 3),
                Arrays.copyOfRange(glued, glued.length - 3, glued.length));
        await().atMost(WAIT).until(() -> listener.received.size() == 3);
        assertThat(listener.texts()).containsExactly("a1", "a22", "a333");

        listener.connections.get(0).send(EncodedMessage.of("", "down")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        byte[] expected = concat(okReply, lengthField(size, byteOrder, 4), bytes("down"));
        await().atMost(WAIT).until(() -> c.received(expected));
        if (size == 1) {
            assertThatThrownBy(() -> listener.connections.get(0).send(new EncodedMessage("", new byte[300], Map.of()))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .cause().hasMessageContaining("cannot be described by a 1-byte length field")
                    .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
    }

    @Test
    void lengthAdjustmentForALengthThatCountsItsOwnField() throws Exception {
        // Verifies lengthAdjustment = -4 (the value counts the 4-byte field) both ways, little endian.
        start(Map.of("framing", "length", "lengthFieldLength", "4", "lengthAdjustment", "-4", "byteOrder", "little"));
        TestClient c = connect().write(concat(new byte[] {20, 0, 0, 0}, bytes("login dev-1 good"), new byte[] {6, 0, 0, 0}, bytes("hi")));
        await().atMost(WAIT).until(() -> listener.texts().equals(List.of("hi")));
        assertThat(c.bytes()).isEqualTo(concat(new byte[] {11, 0, 0, 0}, bytes("auth ok")));
        listener.connections.get(0).send(EncodedMessage.of("", "down")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(WAIT)
                .until(() -> c.received(concat(new byte[] {11, 0, 0, 0}, bytes("auth ok"), new byte[] {8, 0, 0, 0}, bytes("down"))));
    }

    @Test
    void lengthFieldAfterAHeaderIsDeliveredWholeAndDownlinksAreWrittenAsTheCodecMadeThem() throws Exception {
        // Verifies lengthFieldOffset 1 with initialBytesToStrip 0: frames keep their header; downlinks are not prefixed.
        listener.auth = r -> new String(r.frame(), StandardCharsets.ISO_8859_1).endsWith("good")
                ? AuthResult.accept("dev-1", "p1").withReply(new EncodedMessage("", new byte[] {0x01, 2, 'o', 'k'}, Map.of()))
                : AuthResult.refuse(AuthFailure.BAD_SIGNATURE, null, "no");
        start(Map.of("framing", "length", "lengthFieldOffset", "1", "lengthFieldLength", "1", "initialBytesToStrip", "0"));
        TestClient c = connect().writeParts(new byte[] {0x01, 4, 'g', 'o'}, new byte[] {'o', 'd', 0x02, 1}, new byte[] {'x'});
        await().atMost(WAIT).until(() -> listener.received.size() == 1);
        assertThat(listener.logins.get(0).frame()).containsExactly(0x01, 4, 'g', 'o', 'o', 'd');
        assertThat(listener.received.get(0).message().payload()).containsExactly(0x02, 1, 'x');
        assertThat(c.bytes()).containsExactly(0x01, 2, 'o', 'k');
        listener.connections.get(0).send(new EncodedMessage("", new byte[] {0x03, 1, 'y'}, Map.of())).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> c.received(new byte[] {0x01, 2, 'o', 'k', 0x03, 1, 'y'}));
    }

    @Test
    void aLengthBeyondTheLimitClosesTheConnection() throws Exception {
        // Verifies that a length field announcing more than maxMessageLength closes at once, without waiting for the body.
        start(Map.of("framing", "length", "maxMessageLength", "100"));
        TestClient c = connect().write(concat(new byte[] {0, 16}, bytes("login dev-1 good")));
        await().atMost(WAIT).until(() -> listener.connections.size() == 1);
        c.write(new byte[] {0x10, 0x00, 'x'});
        await().atMost(WAIT).until(c::isClosed);
        await().atMost(WAIT).until(() -> listener.disconnects.contains("frame longer than maxMessageLength 100 bytes"));
    }

    @ParameterizedTest(name = "{0}-byte field announcing {1} bytes")
    @CsvSource({"4,1073741824", "8,1099511627776"})
    void aLengthFieldAnnouncingAHugeFrameClosesAsSoonAsItIsRead(int size, long announced) throws Exception {
        // Verifies that the connection closes once the field is read, before or after the login, without waiting for the
        // announced bytes nor for authTimeout / idleTimeout (30 s here, so "at once" is unambiguous).
        start(Map.of("framing", "length", "lengthFieldLength", Integer.toString(size), "authTimeout", "30", "idleTimeout", "30"));
        Duration atOnce = Duration.ofSeconds(5);
        TestClient before = connect().write(lengthField(size, ByteOrder.BIG_ENDIAN, announced));
        await().atMost(atOnce).until(before::isClosed);
        assertThat(listener.logins).isEmpty();

        TestClient after = connect().write(concat(lengthField(size, ByteOrder.BIG_ENDIAN, 16), bytes("login dev-1 good")));
        await().atMost(WAIT).until(() -> listener.connections.size() == 1);
        after.write(concat(lengthField(size, ByteOrder.BIG_ENDIAN, announced), bytes("xyz")));
        await().atMost(atOnce).until(after::isClosed);
        await().atMost(atOnce).until(() -> listener.disconnects.equals(List.of("frame longer than maxMessageLength 65536 bytes")));
        assertThat(listener.received).isEmpty();
    }

    // ------------------------------------------------------------------ none framing

    @Test
    void noFramingDeliversEachReadChunkCutToTheLimit() throws Exception {
        // Verifies framing = none: the first chunk is the login, each later read is a message of at most maxMessageLength.
        start(Map.of("framing", "none", "maxMessageLength", "8"));
        // a login must fit in one chunk of at most 8 bytes here: use a certificate-free custom login
        listener.auth = r -> AuthResult.accept("dev-1", "p1").withReply(new EncodedMessage("", bytes("ok"), Map.of()));
        TestClient c = connect().write("hello");
        await().atMost(WAIT).until(() -> c.text().equals("ok") && listener.connections.size() == 1);
        c.write("chunk-1");
        await().atMost(WAIT).until(() -> listener.texts().equals(List.of("chunk-1")));
        c.write("0123456789abcdefXYZ");
        await().atMost(WAIT).until(() -> String.join("", listener.texts()).equals("chunk-10123456789abcdefXYZ"));
        assertThat(listener.texts()).allSatisfy(t -> assertThat(t.length()).isLessThanOrEqualTo(8));
        listener.connections.get(0).send(new EncodedMessage("", new byte[] {0, 1, 2}, Map.of())).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> c.received(new byte[] {'o', 'k', 0, 1, 2}));
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void aTooLongFrameClosesOnlyThatConnection() throws Exception {
        // Verifies maxMessageLength: the offender is closed with a reason naming the limit; another client keeps working.
        start(Map.of("maxMessageLength", "32"));
        TestClient good = login("dev-good");
        TestClient bad = login("dev-bad");
        bad.write("x".repeat(20)).write("y".repeat(40));
        await().atMost(WAIT).until(bad::isClosed);
        await().atMost(WAIT).until(() -> listener.disconnects.contains("frame longer than maxMessageLength 32 bytes"));
        good.write("still here\n");
        await().atMost(WAIT).until(() -> listener.texts().contains("still here"));
        assertThat(good.isClosed()).isFalse();
        login("dev-new");
        assertThat(listener.disconnects).hasSize(1);
    }

    @Test
    void aRefusedLoginGetsTheReplyThenTheConnectionCloses() throws Exception {
        // Verifies refusal: "auth refused" is flushed before the close; garbage never kills the component.
        start(Map.of());
        TestClient c = connect().write("hello there\nframe after\n");
        await().atMost(WAIT).until(c::isClosed);
        assertThat(c.text()).isEqualTo("auth refused\n");
        TestClient garbage = connect().write(new byte[] {(byte) 0xFF, 0, (byte) 0x80, 0x7F, '\n', 1, 2, 3});
        await().atMost(WAIT).until(garbage::isClosed);
        assertThat(garbage.text()).isEqualTo("auth refused\n");
        assertThat(listener.connections).isEmpty();
        assertThat(listener.received).isEmpty();
        assertThat(listener.disconnects).isEmpty();
        login("dev-1");
    }

    @Test
    void aFailingLoginCheckClosesTheConnection() throws Exception {
        // Verifies that an authenticate stage failing (platform error) closes without connecting.
        listener.auth = r -> {
            throw new IllegalStateException("registry down");
        };
        start(Map.of());
        TestClient c = connect().write("login dev-1 good\n");
        await().atMost(WAIT).until(c::isClosed);
        assertThat(listener.connections).isEmpty();
    }

    @Test
    void aForbiddenUplinkClosesTheConnection() throws Exception {
        // Verifies FORBIDDEN handling: the connection is closed with "forbidden: ...".
        start(Map.of());
        TestClient c = login("dev-1");
        c.write("/forbidden/x\n");
        await().atMost(WAIT).until(c::isClosed);
        await().atMost(WAIT).until(() -> listener.disconnects.equals(List.of("forbidden: not yours")));
    }

    @Test
    void aMessageThePlatformCouldNotStoreClosesTheConnection() throws Exception {
        // Verifies that a storage failure closes the connection so the device resends.
        listener.gate = CompletableFuture.failedFuture(new ThingportException(ErrorCode.INTERNAL, "disk full"));
        start(Map.of());
        TestClient c = login("dev-1");
        c.write("report\n");
        await().atMost(WAIT).until(c::isClosed);
        await().atMost(WAIT).until(() -> listener.disconnects.equals(List.of("the platform could not store a message: disk full")));
    }

    // ------------------------------------------------------------------ timeouts and back-pressure

    @Test
    void idleConnectionsAreClosedButTalkingOnesStay() throws Exception {
        // Verifies idleTimeout (the half-open case): a silent connection is closed, a talking one is not.
        start(Map.of("idleTimeout", "2"));
        TestClient silent = login("dev-silent");
        TestClient talking = login("dev-talking");
        for (int i = 0; i < 14; i++) {
            talking.write("tick\n");
            Thread.sleep(300);
        }
        await().atMost(WAIT).until(silent::isClosed);
        assertThat(talking.isClosed()).isFalse();
        assertThat(listener.disconnects).containsExactly("no traffic for idleTimeout 2 s");
    }

    @Test
    void aConnectionWaitingForSlowStorageIsNotIdle() throws Exception {
        // Verifies that back-pressure (not reading) is not mistaken for a silent device.
        listener.gate = new CompletableFuture<>();
        start(Map.of("idleTimeout", "1", "maxInflight", "1"));
        TestClient c = login("dev-1");
        c.write("m1\nm2\n");
        await().atMost(WAIT).until(() -> listener.received.size() == 1);
        await().during(Duration.ofMillis(2500)).atMost(WAIT).until(() -> !c.isClosed() && listener.received.size() == 1);
        listener.gate.complete(null);
        await().atMost(WAIT).until(() -> listener.texts().equals(List.of("m1", "m2")));
        await().atMost(WAIT).until(c::isClosed);
        assertThat(listener.disconnects).containsExactly("no traffic for idleTimeout 1 s");
    }

    @Test
    void aConnectionThatNeverLogsInIsClosed() throws Exception {
        // Verifies authTimeout: no login frame (or only part of one) in time closes the connection.
        start(Map.of("authTimeout", "1"));
        TestClient silent = connect();
        TestClient partial = connect().write("login dev-1 go");
        await().atMost(WAIT).until(() -> silent.isClosed() && partial.isClosed());
        assertThat(listener.logins).isEmpty();
        assertThat(listener.disconnects).isEmpty();
        login("dev-2");
    }

    @Test
    void slowStorageStopsReadingInsteadOfQueueing() throws Exception {
        // Verifies back-pressure: with storage stalled, at most maxInflight frames are handed to the platform.
        listener.gate = new CompletableFuture<>();
        start(Map.of("maxInflight", "4"));
        TestClient c = login("dev-1");
        StringBuilder frames = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            frames.append("m").append(i).append('\n');
        }
        c.write(frames.toString());
        await().atMost(WAIT).until(() -> listener.received.size() == 4);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> listener.received.size() == 4);
        listener.gate.complete(null);
        await().atMost(WAIT).until(() -> listener.received.size() == 50);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("m" + i);
        }
        assertThat(listener.texts()).isEqualTo(expected);
    }

    @Test
    void aFrameThePlatformDidNotTakeIsOfferedAgainAndAnsweredOnlyOnceTaken() throws Exception {
        // Verifies UNAVAILABLE (the platform at its bound): the connection stays, the frame goes again after pauses
        // before the frames sent after it, and the platform's replies come only for frames it took, in order.
        // GIVEN a platform that refuses the next three frames as being at its bound and answers each frame it takes
        listener.unavailable.set(3);
        listener.reply = m -> EncodedMessage.of("", "ack " + m.payloadAsText());
        start(Map.of());
        TestClient c = login("dev-1");

        // WHEN the device sends three frames in one segment
        c.write("m1\nm2\nm3\n");

        // THEN while the first is being refused, nothing is answered and nothing after it goes
        await().atMost(WAIT).until(() -> listener.received.size() >= 3);
        String answeredWhileRefused = c.text();
        List<String> offeredWhileRefused = listener.texts().subList(0, 3);
        // AND once taken, each frame is answered once, in order, on the same connection
        await().atMost(WAIT).until(() -> c.text().equals("auth ok\nack m1\nack m2\nack m3\n"));
        assertThat(answeredWhileRefused).isEqualTo("auth ok\n");
        assertThat(offeredWhileRefused).containsExactly("m1", "m1", "m1");
        assertThat(listener.texts()).containsExactly("m1", "m1", "m1", "m1", "m2", "m3");
        assertThat(c.isClosed()).isFalse();
        assertThat(listener.disconnects).isEmpty();
    }

    @Test
    void aConnectionPausedByTheBusyPlatformIsNotIdle() throws Exception {
        // Verifies that a connection not read because the platform is at its bound is not closed by idleTimeout, and
        // that the refused frame goes through once the platform takes frames again.
        // GIVEN idleTimeout 1 s and a platform at its bound
        listener.unavailable.set(Integer.MAX_VALUE);
        start(Map.of("idleTimeout", "1"));
        TestClient c = login("dev-1");

        // WHEN a frame is refused for 2.5 s
        c.write("m1\n");
        await().during(Duration.ofMillis(2500)).atMost(WAIT).until(() -> !c.isClosed());
        listener.unavailable.set(0);

        // THEN the platform takes it, and only then, read again, a silent connection is idle as before
        await().atMost(WAIT).until(() -> listener.texts().size() >= 2 && listener.disconnects.size() == 1);
        assertThat(listener.texts()).containsOnly("m1");
        assertThat(listener.disconnects).containsExactly("no traffic for idleTimeout 1 s");
    }

    // ------------------------------------------------------------------ TLS

    @Test
    void tlsWithATrustedClientCertificatePassesItToTheLogin() throws Exception {
        // Verifies mutual TLS: the verified chain reaches the AuthRequest (the test kit then logs in as the CN).
        TestPki pki = TestPki.get();
        server = new TcpServerProvider().start(pki.tlsConfig("tls", "tcp-server",
                Map.of("host", "127.0.0.1", "port", "0", "clientAuth", "require")), listener);
        port = server.boundAddress().getPort();
        TestClient c = TestClient.connectTls(port, pki.clientContext("client"), true);
        clients.add(c);
        c.writeParts("hel", "lo\nreport-1\n");
        // a certificate login gets no reply from the test kit
        await().atMost(WAIT).until(() -> listener.texts().equals(List.of("report-1")));
        assertThat(c.text()).isEmpty();
        assertThat(listener.logins.get(0).certificates()).isNotEmpty();
        assertThat(listener.logins.get(0).certificates().get(0).getSubjectX500Principal().getName()).contains("CN=dev-1");
        assertThat(new String(listener.logins.get(0).frame(), StandardCharsets.UTF_8)).isEqualTo("hello");
        listener.connections.get(0).send(EncodedMessage.of("", "down")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> c.text().equals("down\n"));
    }

    @Test
    void anUntrustedClientCertificateFailsTheHandshakeAndOthersStillWork() throws Exception {
        // Verifies that a certificate from another CA, no certificate, and plain bytes are refused; a good client works.
        TestPki pki = TestPki.get();
        server = new TcpServerProvider().start(pki.tlsConfig("tls", "tcp-server",
                Map.of("host", "127.0.0.1", "port", "0", "clientAuth", "require")), listener);
        port = server.boundAddress().getPort();
        TestClient rogue = TestClient.connectTls(port, pki.clientContext("rogue"), false);
        clients.add(rogue);
        TestClient anonymous = TestClient.connectTls(port, pki.clientContext(null), false);
        clients.add(anonymous);
        TestClient plain = connect().write("login dev-1 good\n");
        await().atMost(WAIT).until(() -> rogue.isClosed() && anonymous.isClosed() && plain.isClosed());
        assertThat(listener.logins).isEmpty();
        TestClient good = TestClient.connectTls(port, pki.clientContext("client"), true);
        clients.add(good);
        good.write("hello\n");
        await().atMost(WAIT).until(() -> listener.connections.size() == 1);
    }

    @Test
    void opensslClientAsACommandLinePeer() throws Exception {
        // Verifies the server with a real command-line TLS peer: openssl s_client with the client certificate.
        TestPki pki = TestPki.get();
        server = new TcpServerProvider().start(pki.tlsConfig("tls", "tcp-server",
                Map.of("host", "127.0.0.1", "port", "0", "clientAuth", "require")), listener);
        port = server.boundAddress().getPort();
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-quiet",
                "-cert", pki.file("client.crt").toString(), "-key", pki.file("client.key").toString(),
                "-CAfile", pki.file("ca.crt").toString()).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(new OutputStream() {
                    @Override
                    public void write(int b) {
                        synchronized (output) {
                            output.write(b);
                        }
                    }
                });
            } catch (java.io.IOException e) {
                // process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            p.getOutputStream().write(bytes("hello\nfrom openssl\n"));
            p.getOutputStream().flush();
            await().atMost(WAIT).until(() -> listener.texts().equals(List.of("from openssl")));
            listener.connections.get(0).send(EncodedMessage.of("", "down to openssl")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> {
                synchronized (output) {
                    return output.toString(StandardCharsets.UTF_8).contains("down to openssl\n");
                }
            });
            listener.connections.get(0).close("test done");
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> listener.disconnects.equals(List.of("test done")));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void opensslPresentingTheRogueCertificateIsRefused() throws Exception {
        // Verifies refusal of a client certificate that is actually sent (openssl sends it whatever CAs the server
        // names, unlike the JDK client): the handshake fails, nothing logs in, and a good client still works.
        TestPki pki = TestPki.get();
        server = new TcpServerProvider().start(pki.tlsConfig("tls", "tcp-server",
                Map.of("host", "127.0.0.1", "port", "0", "clientAuth", "require")), listener);
        port = server.boundAddress().getPort();
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-quiet",
                "-cert", pki.file("rogue.crt").toString(), "-key", pki.file("rogue.key").toString(),
                "-CAfile", pki.file("ca.crt").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.getOutputStream().write(bytes("login dev-1 good\nreport\n"));
            p.getOutputStream().flush();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("openssl ends when the server refuses it").isTrue();
            assertThat(listener.logins).isEmpty();
        } finally {
            p.destroyForcibly();
        }
        TestClient good = TestClient.connectTls(port, pki.clientContext("client"), true);
        clients.add(good);
        good.write("hello\n");
        await().atMost(WAIT).until(() -> listener.connections.size() == 1);
    }

    // ------------------------------------------------------------------ configuration and lifecycle

    @Test
    void aPortInUseIsAConflict() {
        start(Map.of());
        assertThatThrownBy(() -> new TcpServerProvider().start(config("second", Map.of("port", Integer.toString(port))), listener))
                .isInstanceOf(ThingportException.class)
                .hasMessageContaining("network component second").hasMessageContaining(":" + port)
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.CONFLICT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "colour=red; unknown key 'colour'",
            "port=; port is required",
            "port=70000; port 70000 is out of range",
            "port=abc; port 'abc' is not a whole number",
            "framing=xml; framing 'xml' is not one of",
            "framing=fixed; frameLength is required with framing = fixed",
            "framing=fixed,frameLength=100000; frameLength 100000 is out of range",
            "frameLength=10; frameLength only applies to framing = fixed",
            "lengthFieldLength=2; lengthFieldLength only applies to framing = length",
            "framing=length,lengthFieldLength=5; lengthFieldLength 5 is not one of [1, 2, 3, 4, 8]",
            "framing=length,byteOrder=middle; byteOrder 'middle' is not one of",
            "framing=length,initialBytesToStrip=3; initialBytesToStrip 3 is out of range 0..2",
            "framing=none,delimiter=x; delimiter only applies to framing = delimiter",
            "delimiter=\\q; unknown escape",
            "maxMessageLength=0; maxMessageLength 0 is out of range",
            "maxInflight=0; maxInflight 0 is out of range",
            "idleTimeout=-1; idleTimeout -1 is out of range",
            "authTimeout=0; authTimeout 0 is out of range",
            "ioThreads=0; ioThreads 0 is out of range",
            "clientAuth=require; clientAuth = require needs TLS",
            "clientAuth=sometimes; clientAuth 'sometimes' is not one of"})
    void badConfigurationIsRefusedNamingTheComponentAndKey(String properties, String message) {
        Map<String, String> props = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0"));
        for (String kv : properties.split(",")) {
            String[] parts = kv.split("=", 2);
            props.put(parts[0], parts[1]);
        }
        assertThatThrownBy(() -> new TcpServerProvider().start(new NetworkComponentConfig("bad", "tcp-server", props), listener))
                .isInstanceOf(ThingportException.class)
                .hasMessageContaining("network component bad").hasMessageContaining(message)
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void commonKeysAreAccepted() {
        start(Map.of("name", "test", "description", "d", "enabled", "true", "publicHost", "example.org", "publicPort", "1"));
        assertThat(server.boundAddress().getPort()).isPositive();
        assertThat(new TcpServerProvider().type()).isEqualTo("tcp-server");
        assertThat(new TcpServerProvider().transport()).isEqualTo(Transport.TCP);
    }

    @Test
    void closeReportsEveryConnectionAndFreesThePort() throws Exception {
        // Verifies close(): every connected connection is reported once with the stop reason; all sockets close.
        start(Map.of());
        TestClient a = login("dev-a");
        TestClient b = login("dev-b");
        TestClient unauthenticated = connect();
        await().atMost(WAIT).until(() -> server.connectionCount() == 3);
        TransportConnection connection = listener.connections.get(0);
        server.close();
        await().atMost(WAIT).until(() -> listener.disconnects.size() == 2);
        assertThat(listener.disconnects).containsExactly("network component test stopped", "network component test stopped");
        await().atMost(WAIT).until(() -> a.isClosed() && b.isClosed() && unauthenticated.isClosed());
        assertThat(server.connectionCount()).isZero();
        assertThat(connection.isOpen()).isFalse();
        assertThatThrownBy(() -> connection.send(EncodedMessage.of("", "late")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .cause().extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.DEVICE_OFFLINE);
        int freed = port;
        server = new TcpServerProvider().start(config("again", Map.of("port", Integer.toString(freed))), listener);
        assertThat(server.boundAddress().getPort()).isEqualTo(freed);
    }

    @Test
    void closeByThePlatformIsReportedOnceWithItsReason() throws Exception {
        // Verifies TransportConnection.close: graceful, idempotent, reported once with the reason given.
        start(Map.of());
        TestClient c = login("dev-1");
        TransportConnection connection = listener.connections.get(0);
        connection.send(EncodedMessage.of("", "last words"));
        connection.close("replaced by a newer connection");
        connection.close("second close");
        await().atMost(WAIT).until(c::isClosed);
        assertThat(c.text()).isEqualTo("auth ok\nlast words\n");
        await().atMost(WAIT).until(() -> listener.disconnects.size() == 1);
        await().during(Duration.ofMillis(300)).atMost(WAIT)
                .until(() -> listener.disconnects.equals(List.of("replaced by a newer connection")));
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void aDeviceClosingItsSideIsReported() throws Exception {
        start(Map.of());
        TestClient c = login("dev-1");
        c.close();
        await().atMost(WAIT).until(() -> listener.disconnects.equals(List.of("connection closed by the device")));
        await().atMost(WAIT).until(() -> server.connectionCount() == 0);
    }
}
