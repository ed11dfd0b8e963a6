package io.thingport.network.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.network.testkit.RecordingListener;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No reflection amplification: every answer to a peer that has not logged in, sent as raw datagrams over real UDP on
 * 127.0.0.1, is a bare response code (no diagnostic payload, no Content-Format) and never larger than the request;
 * a refusal that cannot be piggy-backed is sent once (NON), not retransmitted to a possibly forged source.
 */
class CoapReflectionTest {
    private static final int CON = 0;
    private static final int NON = 1;
    private static final int ACK = 2;
    private static final int RST = 3;
    private static final int GET = 0x01;
    private static final int POST = 0x02;
    private static final int DELETE = 0x04;
    private static final int URI_PATH = 11;
    private static final int CONTENT_FORMAT = 12;
    private static final int BLOCK1 = 27;
    private static final int SIZE1 = 60;
    private static final byte[] TOKEN = {0x5a, 0x17};

    private final RecordingListener listener = new RecordingListener();
    private NetworkComponent server;
    private DatagramSocket socket;
    private int messageId = 0x1000;

    @BeforeEach
    void start() throws IOException {
        server = new CoapServerProvider().start(new NetworkComponentConfig("reflect", "coap-server",
                Map.of("host", "127.0.0.1", "port", "0")), listener);
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        socket.close();
        server.close();
    }

    @Test
    void aHeaderOnlyRequestGetsAResponseNoLargerThanItsFourBytes() throws IOException {
        // Verifies the smallest request: a 4-byte CON GET without token, path or options is answered by a 4-byte
        // piggy-backed 4.01 ACK (same message id), nothing else.
        byte[] request = {0x40, GET, 0x12, 0x34};
        List<Answer> answers = exchange(request);
        assertBare(request, answers, 0x81);
        assertThat(answers.get(0).type()).isEqualTo(ACK);
        assertThat(answers.get(0).messageId()).isEqualTo(0x1234);
        assertThat(answers.get(0).length()).isEqualTo(4);
    }

    @Test
    void anEmptyConfirmableMessageIsAnsweredWithAReset() throws IOException {
        // Verifies a CoAP ping (CON 0.00, 4 bytes): a 4-byte RST.
        byte[] request = {0x40, 0x00, 0x12, 0x35};
        List<Answer> answers = exchange(request);
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).type()).isEqualTo(RST);
        assertThat(answers.get(0).length()).isEqualTo(4);
    }

    @Test
    void aRequestWithoutCredentialsOnAnUnknownPathIsABare401() throws IOException {
        // Verifies an unknown path without any credential or token option: 4.01 with the request's token, no payload.
        byte[] request = coap(CON, POST, options(URI_PATH, "x"), new byte[0]);
        assertBare(request, exchange(request), 0x81);
        assertThat(listener.logins).isEmpty();
    }

    @Test
    void aRequestWithSomeCredentialOptionsMissingIsABare401() throws IOException {
        // Verifies partial credentials (client id and user name, no password): 4.01 with no payload.
        byte[] request = coap(CON, POST, options(URI_PATH, "a", 2100, "d", 2104, "u"), "{}".getBytes(StandardCharsets.UTF_8));
        assertBare(request, exchange(request), 0x81);
        assertThat(listener.logins).isEmpty();
    }

    @Test
    void anUnknownSessionTokenIsABare401() throws IOException {
        // Verifies a guessed session token (option 2112): 4.01 with no payload.
        byte[] request = coap(CON, GET, options(2112, "x"), new byte[0]);
        assertBare(request, exchange(request), 0x81);
    }

    @Test
    void anUnsupportedMethodIsABare405() throws IOException {
        // Verifies DELETE on any path: 4.05 with no payload.
        byte[] request = coap(CON, DELETE, options(URI_PATH, "x"), new byte[0]);
        assertBare(request, exchange(request), 0x85);
    }

    @Test
    void anUploadWithoutPathIsABare400() throws IOException {
        // Verifies a POST without a topic (URI path), with complete credentials: 4.00 with no payload, no login.
        byte[] request = coap(CON, POST, options(2100, "d", 2104, "u", 2108, "good"), new byte[0]);
        assertBare(request, exchange(request), 0x80);
        assertThat(listener.logins).isEmpty();
    }

    @Test
    void aRefusedLoginIsABare401SentOnceAndNoLargerThanTheLogin() throws IOException {
        // Verifies a bad password whose check takes a while: an empty ACK, then the 4.01 as a separate NON response
        // with the login's token and no payload, never retransmitted to a source that may be forged; together no
        // larger than the login.
        Function<AuthRequest, AuthResult> standIn = listener.auth;
        listener.auth = r -> {
            sleep(300);
            return standIn.apply(r);
        };
        byte[] request = coap(CON, POST, options(URI_PATH, "a", 2100, "d", 2104, "u", 2108, "wrong"), new byte[0]);
        List<Answer> answers = exchange(request);
        assertBare(request, answers, 0x81);
        assertThat(answers).extracting(Answer::type).containsExactly(ACK, NON);
        assertThat(answers.get(0).code()).isZero();
        assertThat(listener.logins).hasSize(1);
    }

    @Test
    void aLoginRefusedForADisabledDeviceIsABare403() throws IOException {
        // Verifies that a refused login carries no payload whatever the refusal: 4.03 for a disabled device.
        byte[] request = coap(CON, POST, options(URI_PATH, "a", 2100, "d", 2104, "u", 2108, "disabled"), new byte[0]);
        List<Answer> answers = exchange(request);
        assertBare(request, answers, 0x83);
        assertThat(answers).noneMatch(a -> a.type() == CON);
    }

    @Test
    void aLoginThatCannotBeCheckedIsABare503() throws IOException {
        // Verifies a failing login check (the platform's authenticator throws): 5.03 with no payload.
        listener.auth = r -> {
            throw new IllegalStateException("database down");
        };
        byte[] request = coap(CON, POST, options(URI_PATH, "a", 2100, "d", 2104, "u", 2108, "good"), new byte[0]);
        List<Answer> answers = exchange(request);
        assertBare(request, answers, 0xA3);
        assertThat(answers).noneMatch(a -> a.type() == CON);
    }

    @Test
    void aLoginRefusedBecauseThePlatformIsBusyIsABare503() throws IOException {
        // Verifies a login the platform did not check because it is at its bound of waiting logins (logins.maxQueued,
        // AuthFailure.SERVER_BUSY): a bare 5.03 (come back later), not the 4.03 of a refused device.
        listener.auth = r -> AuthResult.refuse(AuthFailure.SERVER_BUSY, null, "1000 logins are waiting to be checked already");
        byte[] request = coap(CON, POST, options(URI_PATH, "a", 2100, "d", 2104, "u", 2108, "good"), new byte[0]);
        List<Answer> answers = exchange(request);
        assertBare(request, answers, 0xA3);
        assertThat(answers).noneMatch(a -> a.type() == CON);
    }

    @Test
    void anOversizedPayloadIsA413WithSize1AndNoPayload() throws IOException {
        // Verifies maxMessageLength (1024) before any login: 4.13 whose only option is Size1 = 1024, no payload.
        byte[] request = coap(CON, POST, options(URI_PATH, "a"), new byte[1025]);
        List<Answer> answers = exchange(request);
        assertBare(request, answers, 0x8D);
        assertThat(answers.get(answers.size() - 1).options()).containsOnlyKeys(SIZE1);
        assertThat(answers.get(answers.size() - 1).options().get(SIZE1)).containsExactly(0x04, 0x00);
    }

    @Test
    void aBlockwiseUploadDeclaringTooLargeABodyIsA413WithoutCaliforniumsText() throws IOException {
        // Verifies Californium's own answer to a first Block1 block whose Size1 exceeds maxMessageLength (sent before
        // the request reaches the server's handler): 4.13 without the text "body too large, max. 1024 bytes".
        byte[] request = coap(CON, POST, options(URI_PATH, "a", BLOCK1, new byte[] {0x08}, SIZE1, new byte[] {0x07, (byte) 0xD0}),
                new byte[16]);
        assertBare(request, exchange(request), 0x8D);
    }

    @Test
    void aBlockwiseUploadChangingItsContentFormatIsA408WithoutCaliforniumsText() throws IOException {
        // Verifies Californium's own 4.08 for a second Block1 block with another Content-Format than the first: no
        // text "unexpected Content-Format" (the first block gets a bare 2.31 Continue).
        byte[] first = coap(CON, POST, options(URI_PATH, "a", CONTENT_FORMAT, new byte[] {50}, BLOCK1, new byte[] {0x08}),
                new byte[16]);
        List<Answer> continued = exchange(first);
        assertThat(continued).extracting(Answer::code).containsExactly(0x5F);
        assertThat(continued.get(0).length()).isLessThanOrEqualTo(first.length);
        byte[] second = coap(CON, POST, options(URI_PATH, "a", CONTENT_FORMAT, new byte[0], BLOCK1, new byte[] {0x18}),
                new byte[16]);
        assertBare(second, exchange(second), 0x88);
    }

    @Test
    void anUnknownCriticalOptionIsABare402() throws IOException {
        // Verifies Californium's own 4.02 Bad Option for an unrecognized critical (odd) option: no diagnostic text.
        byte[] request = coap(CON, GET, options(URI_PATH, "a", 2101, "z"), new byte[0]);
        assertBare(request, exchange(request), 0x82);
    }

    @Test
    void anAuthenticatedRequestKeepsItsDiagnostic() throws IOException {
        // Verifies the other side of the rule: after a login, a refused message (a topic not the device's) still
        // tells the device why, in a JSON body.
        byte[] login = coap(CON, POST, options(URI_PATH, "forbidden", 2100, "d", 2104, "u", 2108, "good"), new byte[0]);
        List<Answer> answers = exchange(login);
        Answer refusal = answers.get(answers.size() - 1);
        assertThat(refusal.code()).isEqualTo(0x83);
        assertThat(new String(refusal.payload(), StandardCharsets.UTF_8)).contains("not yours");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- raw CoAP ----

    /**
     * Asserts that the answers to {@code request} are bare: the last one carries {@code code} and the request's token,
     * none has a payload or a Content-Format, and together they are no larger than the request.
     */
    private static void assertBare(byte[] request, List<Answer> answers, int code) {
        assertThat(answers).as("answers").isNotEmpty();
        Answer last = answers.get(answers.size() - 1);
        assertThat(last.code()).as("response code").isEqualTo(code);
        assertThat(last.token()).as("token").isEqualTo(Arrays.copyOfRange(request, 4, 4 + (request[0] & 0x0F)));
        for (Answer a : answers) {
            assertThat(a.payload()).as("payload of %s", a).isEmpty();
            assertThat(a.options()).as("options of %s", a).doesNotContainKey(CONTENT_FORMAT);
        }
        assertThat(answers.stream().mapToInt(Answer::length).sum()).as("bytes answered to a request of " + request.length)
                .isLessThanOrEqualTo(request.length);
    }

    /**
     * Sends {@code request} and collects every datagram that comes back: until none came for 3.5 s after a separate
     * response (so its retransmission, due after 2 to 3 s if it were confirmable, would be seen), 0.5 s after a
     * piggy-backed one or a reset, or 15 s.
     */
    private List<Answer> exchange(byte[] request) throws IOException {
        socket.send(new DatagramPacket(request, request.length, InetAddress.getByName("127.0.0.1"), server.boundAddress().getPort()));
        List<Answer> answers = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 15_000;
        int quiet = 0;
        while (System.currentTimeMillis() < deadline) {
            socket.setSoTimeout(quiet > 0 ? quiet : (int) Math.max(1, deadline - System.currentTimeMillis()));
            DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                break;
            }
            Answer answer = Answer.parse(Arrays.copyOf(packet.getData(), packet.getLength()));
            answers.add(answer);
            if (answer.type() == RST || answer.type() == ACK && answer.code() != 0) {
                quiet = 500;
            } else if (answer.code() != 0) {
                quiet = 3_500;
            }
        }
        return answers;
    }

    /** Option number → value pairs: {@code int, String|byte[]} alternating. */
    private static TreeMap<Integer, byte[]> options(Object... pairs) {
        return RawCoap.options(pairs);
    }

    /** A request with {@link #TOKEN}, a fresh message id, the options (one value per number) and the payload. */
    private byte[] coap(int type, int code, TreeMap<Integer, byte[]> options, byte[] payload) {
        return RawCoap.request(type, code, messageId++, TOKEN, options, payload);
    }

    /** A datagram from the server, parsed: type, code, message id, token, options and payload. */
    private record Answer(int length, int type, int code, int messageId, byte[] token, Map<Integer, List<Integer>> options,
                          byte[] payload) {
        static Answer parse(byte[] d) {
            assertThat(d.length).as("a CoAP message").isGreaterThanOrEqualTo(4);
            int tkl = d[0] & 0x0F;
            int at = 4 + tkl;
            Map<Integer, List<Integer>> options = new TreeMap<>();
            int number = 0;
            byte[] payload = new byte[0];
            while (at < d.length) {
                int b = d[at++] & 0xFF;
                if (b == 0xFF) {
                    payload = Arrays.copyOfRange(d, at, d.length);
                    break;
                }
                int[] delta = field(d, at, b >> 4);
                at = delta[1];
                int[] length = field(d, at, b & 0x0F);
                at = length[1];
                number += delta[0];
                List<Integer> value = new ArrayList<>();
                for (int i = 0; i < length[0]; i++) {
                    value.add(d[at + i] & 0xFF);
                }
                options.put(number, value);
                at += length[0];
            }
            return new Answer(d.length, (d[0] >> 4) & 0x03, d[1] & 0xFF, (d[2] & 0xFF) << 8 | (d[3] & 0xFF),
                    Arrays.copyOfRange(d, 4, 4 + tkl), options, payload);
        }

        /** An option delta or length nibble with its extended bytes: {value, next offset}. */
        private static int[] field(byte[] d, int at, int nibble) {
            if (nibble == 13) {
                return new int[] {13 + (d[at] & 0xFF), at + 1};
            }
            if (nibble == 14) {
                return new int[] {269 + ((d[at] & 0xFF) << 8 | (d[at + 1] & 0xFF)), at + 2};
            }
            return new int[] {nibble, at};
        }

        @Override
        public String toString() {
            return "type " + type + " code " + (code >> 5) + "." + String.format("%02d", code & 0x1F) + ", " + length + " bytes, payload '"
                    + new String(payload, StandardCharsets.UTF_8) + "'";
        }
    }
}
