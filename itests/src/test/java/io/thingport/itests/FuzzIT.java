package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ops4j.pax.exam.CoreOptions.propagateSystemProperty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Malformed input on every transport, over real sockets, from {@link Random}s with fixed seeds: random bytes, truncated
 * headers, broken MQTT lengths and packet types, invalid UTF-8, broken HTTP and chunked encoding, garbage after a
 * WebSocket upgrade, malformed CoAP, slow senders and connection floods. Afterwards every component still runs and
 * serves a good device, nothing of the garbage was stored, and the heap is back near where it was.
 * <p>
 * The amount of garbage scales with {@code -Dthingport.fuzz.rounds=N} (default {@link #DEFAULT_ROUNDS}); see
 * bench/README.md for a longer run.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FuzzIT extends ThingportTestSupport {
    static final String ROUNDS_PROPERTY = "thingport.fuzz.rounds";
    static final String TIMEOUT_PROPERTY = "thingport.fuzz.timeout";
    /** Connections (or datagrams) per kind of garbage per transport. */
    static final int DEFAULT_ROUNDS = 30;
    static final int ROUNDS = Integer.getInteger(ROUNDS_PROPERTY, DEFAULT_ROUNDS);
    /** Connections held open at once per TCP transport. */
    static final int FLOOD = 40;
    /** Slow senders per transport, each sending a byte (or a one-byte datagram) every 100 ms for {@link #SLOW_SECONDS}. */
    static final int SLOW_SENDERS = 2;
    static final int SLOW_SECONDS = 3;
    /** How long a garbage connection waits for the platform's answer or close before it is closed. */
    static final int READ_MS = 100;
    static final long SEED = 20_261_202L;
    /** Limit of the whole fuzzing phase in seconds (the default rounds take about 20 s here): 10 s a round, at least 150. */
    static final long FUZZ_TIMEOUT_S = Long.getLong(TIMEOUT_PROPERTY, Math.max(150, ROUNDS * 10L));
    /** Allowed growth of the used heap (after GC) over the fuzzing. */
    static final long HEAP_MARGIN = 64L << 20;

    static final String PRODUCT = "fuzz";
    static final String VICTIM = "fz-victim";
    static final String MODEL = """
            {"properties":[{"id":"humidity","type":{"type":"int","min":0,"max":100}}]}
            """;

    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();

    @Override
    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(Arrays.asList(super.config()));
        for (String property : List.of(ROUNDS_PROPERTY, TIMEOUT_PROPERTY)) {
            if (System.getProperty(property) != null) {
                options.add(propagateSystemProperty(property));
            }
        }
        return options.toArray(new Option[0]);
    }

    @Test
    public void garbageOnEveryTransportLeavesEveryComponentServingAndNothingStored() throws Exception {
        long start = System.nanoTime();
        Path model = Files.createTempFile("fuzz", ".json");
        Files.writeString(model, MODEL, StandardCharsets.UTF_8);
        executeCommand("iot:product-create --model " + model + " " + PRODUCT);
        component("fzmqtt", "mqtt-server", "");
        component("fztcpd", "tcp-server", " framing=delimiter");
        component("fztcpf", "tcp-server", " framing=fixed frameLength=256");
        component("fztcpl", "tcp-server", " framing=length");
        component("fztcpn", "tcp-server", " framing=none");
        component("fzhttp", "http-server", "");
        component("fzws", "websocket-server", " path=/iot");
        component("fzudp", "udp", "");
        component("fzcoap", "coap-server", "");
        for (String name : ports.keySet()) {
            secrets.put(name, createDevice(PRODUCT, "fz-" + name.substring(2)));
        }
        secrets.put(VICTIM, createDevice(PRODUCT, VICTIM));
        secrets.put("mqtt-evil", createDevice(PRODUCT, "fz-mqtt-evil"));
        secrets.put("tcp-evil", createDevice(PRODUCT, "fz-tcp-evil"));

        long baseline = usedHeapAfterGc();
        long fuzzStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ExecutorService slow = Executors.newCachedThreadPool();
        List<Future<?>> work = new ArrayList<>();
        long seed = SEED;
        for (String name : List.of("fzmqtt", "fztcpd", "fztcpf", "fztcpl", "fztcpn", "fzhttp", "fzws")) {
            int port = ports.get(name);
            Random random = new Random(seed++);
            work.add(pool.submit(() -> {
                fuzzTcp(name, port, random);
                return null;
            }));
            for (int i = 0; i < SLOW_SENDERS; i++) {
                byte[] prefix = validStart(name, port);
                work.add(slow.submit(() -> {
                    slowTcp(port, prefix);
                    return null;
                }));
            }
        }
        Random udpRandom = new Random(seed++);
        work.add(pool.submit(() -> {
            fuzzUdp(ports.get("fzudp"), udpRandom);
            return null;
        }));
        Random coapRandom = new Random(seed++);
        work.add(pool.submit(() -> {
            fuzzCoap(ports.get("fzcoap"), coapRandom);
            return null;
        }));
        for (String name : List.of("fzudp", "fzcoap")) {
            work.add(slow.submit(() -> {
                slowDatagrams(ports.get(name));
                return null;
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FUZZ_TIMEOUT_S);
        for (Future<?> f : work) {
            f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        pool.shutdown();
        slow.shutdown();
        long fuzzed = System.nanoTime();

        // every component still runs and serves a good device
        String list = executeCommand("iot:network-list --no-format");
        for (String name : ports.keySet()) {
            assertThat(list).as("network-list after fuzzing").containsPattern("(?m)^" + name + "\t[a-z-]+\trunning\t");
        }
        goodMqtt();
        goodTcpDelimiter();
        goodTcpLength();
        goodTcpNone();
        goodTcpFixed();
        goodUdp();
        goodHttp();
        goodWebSocket();
        goodCoap();

        // nothing of the garbage was stored: the good devices have exactly the one value each sent
        for (String device : List.of("fz-mqtt", "fz-tcpd", "fz-tcpl", "fz-tcpn", "fz-udp", "fz-http", "fz-ws", "fz-coap")) {
            String history = executeCommand("iot:device-props --no-format --history humidity --limit 50 " + device);
            assertThat(history.lines().filter(l -> l.contains("\t")).count()).as(device + " history:\n" + history).isEqualTo(1);
        }
        for (String device : List.of(VICTIM, "fz-mqtt-evil", "fz-tcp-evil", "fz-tcpf")) {
            assertThat(props(device)).as(device + " stored nothing").doesNotContain("humidity");
            assertThat(log(device).lines().filter(l -> l.contains("\tuplink\t"))).as(device + " log").isEmpty();
        }
        // the garbage reached the platform: the victim's bad logins were refused (the evil devices' logins were
        // checked on their connections: their latest log entries may all be refusals of their garbage)
        assertThat(log(VICTIM)).contains("\tauth_refused\t");
        assertThat(log(VICTIM).lines().filter(l -> l.contains("\t" + VICTIM + "\t")))
                .as("the victim never logged in").allMatch(l -> l.contains("\tauth_refused\t"));
        String recent = executeCommand("iot:device-log --limit 50 --no-format");
        List<String> good = List.of("fz-mqtt", "fz-tcpd", "fz-tcpl", "fz-tcpn", "fz-udp", "fz-http", "fz-ws", "fz-coap");
        assertThat(recent.lines().filter(l -> l.contains("\tuplink\t")))
                .as("uplinks in the log:\n" + recent).allMatch(l -> good.stream().anyMatch(d -> l.contains("\t" + d + "\t")));

        long after = usedHeapAfterGc();
        System.out.printf("FuzzIT: %d rounds, fuzzing %d s, total %d s, heap %d MiB -> %d MiB%n", ROUNDS,
                TimeUnit.NANOSECONDS.toSeconds(fuzzed - fuzzStart), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                baseline >> 20, after >> 20);
        assertThat(after).as("used heap after GC, baseline %d MiB", baseline >> 20).isLessThan(baseline + HEAP_MARGIN);
        list = executeCommand("iot:network-list --no-format");
        for (String name : ports.keySet()) {
            assertThat(list).as("network-list at the end").containsPattern("(?m)^" + name + "\t[a-z-]+\trunning\t");
        }
    }

    private void component(String name, String type, String extra) {
        int port = freePort();
        ports.put(name, port);
        assertThat(executeCommand("iot:network-create " + name + " " + type + " host=127.0.0.1 port=" + port + extra)).contains("running");
        assertThat(executeCommand("iot:gateway-create " + name + "-gw official " + name)).contains("running");
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static String report(int humidity) {
        return "{\"messageId\":\"f" + humidity + "\",\"properties\":{\"humidity\":" + humidity + "}}";
    }

    private void awaitHumidity(String deviceId, int value) {
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(props(deviceId)).contains("humidity\t" + value + "\t"));
    }

    // ---- garbage over TCP ----

    /** The first bytes a real client of this transport sends (a login with a bad signature for the victim). */
    private byte[] validStart(String name, int port) {
        String[] bad = {VICTIM + "|" + System.currentTimeMillis(), "00".repeat(32)};
        String login = "/auth {\"clientId\":\"" + VICTIM + "\",\"username\":\"" + bad[0] + "\",\"password\":\"" + bad[1] + "\"}";
        return switch (name) {
            case "fzmqtt" -> mqttConnect(utf8(VICTIM), bad[0], bad[1]);
            case "fztcpd" -> utf8(login + "\n");
            case "fztcpf" -> pad(utf8(login), 256);
            case "fztcpl" -> lengthFramed(utf8(login));
            case "fztcpn" -> utf8(login);
            case "fzhttp" -> utf8("POST /fuzz/" + VICTIM + "/properties/report HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Client-Id: "
                    + VICTIM + "\r\nX-Username: " + bad[0] + "\r\nX-Password: " + bad[1] + "\r\nContent-Length: " + report(66).length()
                    + "\r\n\r\n" + report(66));
            case "fzws" -> wsUpgrade(port);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private void fuzzTcp(String name, int port, Random random) throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            byte[] start = validStart(name, port);
            // random bytes, then a truncated valid start, then a valid start followed by random bytes
            tcp(port, random.nextBoolean(), bytes(random, 1 + random.nextInt(2048)));
            tcp(port, random.nextBoolean(), Arrays.copyOf(start, 1 + random.nextInt(start.length - 1)));
            tcp(port, random.nextBoolean(), start, bytes(random, 1 + random.nextInt(512)));
            tcp(port, random.nextBoolean(), flip(random, start));
        }
        switch (name) {
            case "fzmqtt" -> fuzzMqtt(port, random);
            case "fztcpd", "fztcpf", "fztcpl", "fztcpn" -> fuzzFrames(name, port, random);
            case "fzhttp" -> fuzzHttp(port, random);
            case "fzws" -> fuzzWebSocket(port, random);
            default -> throw new IllegalArgumentException(name);
        }
        flood(port, random);
    }

    private void fuzzMqtt(int port, Random random) throws Exception {
        byte[] connect = validStart("fzmqtt", port);
        byte[][] invalidUtf8 = {{(byte) 0xC3, 0x28}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {0x61, 0, 0x62}};
        for (int i = 0; i < ROUNDS; i++) {
            // remaining length with 5 continuation bytes; the largest declared length; reserved packet types
            tcp(port, false, new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}, bytes(random, 64));
            tcp(port, false, new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}, bytes(random, 1024));
            tcp(port, false, new byte[] {0x00, 0x00});
            tcp(port, false, new byte[] {(byte) 0xF0, 0x00});
            tcp(port, false, packet(random.nextBoolean() ? 0x00 : 0xF0, bytes(random, random.nextInt(100))));
            // a PUBLISH before CONNECT, a second CONNECT, a random packet type with a random body
            tcp(port, false, mqttPublish(utf8("/fuzz/" + VICTIM + "/properties/report"), utf8(report(66))));
            tcp(port, false, connect, connect);
            tcp(port, false, connect, packet(random.nextInt(256), bytes(random, random.nextInt(300))));
            // invalid UTF-8 in the client id and user name
            byte[] bad = invalidUtf8[i % invalidUtf8.length];
            tcp(port, false, mqttConnect(bad, VICTIM + "|1", "00"));
            tcp(port, false, mqttConnect(utf8(VICTIM), concat(utf8(VICTIM + "|"), bad), "00"));
        }
        // a device that logged in, sending garbage: invalid UTF-8 topics, other devices' topics, non-JSON payloads
        try (Socket s = connect(port)) {
            String[] c = FrameDevice.credentials("fz-mqtt-evil", secrets.get("mqtt-evil"));
            OutputStream out = s.getOutputStream();
            out.write(mqttConnect(utf8("fz-mqtt-evil"), c[0], c[1]));
            s.setSoTimeout(15_000);
            assertThat(s.getInputStream().readNBytes(4)).as("CONNACK accepted").containsExactly(0x20, 0x02, 0x00, 0x00);
            s.setSoTimeout(READ_MS);
            for (int i = 0; i < ROUNDS; i++) {
                byte[] topic = utf8("/fuzz/fz-mqtt-evil/properties/report");
                byte[] bad = invalidUtf8[i % invalidUtf8.length];
                out.write(mqttPublish(bytes(random, 1 + random.nextInt(20)), utf8(report(66))));
                out.write(mqttPublish(concat(topic, bad), utf8(report(66))));
                out.write(mqttPublish(topic, bytes(random, random.nextInt(200))));
                out.write(mqttPublish(utf8("/fuzz/" + VICTIM + "/properties/report"), utf8(report(66))));
            }
            out.flush();
            drain(s);
        } catch (IOException expected) {
            // the platform closes a connection that breaks the protocol
        }
    }

    private void fuzzFrames(String name, int port, Random random) throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            // a report before any login, invalid UTF-8 in the login's client id
            byte[] report = utf8("/fuzz/" + VICTIM + "/properties/report " + report(66));
            byte[] badId = concat(utf8("/auth {\"clientId\":\"fz-"), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF},
                    utf8("\",\"username\":\"x|1\"}"));
            tcp(port, false, frame(name, report));
            tcp(port, false, frame(name, badId));
            // length framing: the largest length, a zero length, a length larger than maxMessageLength
            if (name.equals("fztcpl")) {
                tcp(port, false, new byte[] {(byte) 0xFF, (byte) 0xFF}, bytes(random, 100));
                tcp(port, false, new byte[] {0, 0, 0, 0, 0, 5}, utf8("/auth"));
            }
        }
        if (!name.equals("fztcpd")) {
            return;
        }
        // a device that logged in, sending garbage frames
        try (Socket s = connect(port)) {
            OutputStream out = s.getOutputStream();
            out.write(utf8(FrameDevice.login("fz-tcp-evil", secrets.get("tcp-evil"))[0] + "\n"));
            s.setSoTimeout(15_000);
            assertThat(new String(readLine(s.getInputStream()), StandardCharsets.UTF_8)).as("login reply").contains("\"success\":true");
            s.setSoTimeout(READ_MS);
            for (int i = 0; i < ROUNDS; i++) {
                out.write(concat(utf8("/fuzz/fz-tcp-evil/properties/report "), printable(random, random.nextInt(200)), utf8("\n")));
                out.write(concat(utf8("/fuzz/fz-tcp-evil/properties/report {\"properties\":{\"humidity\":\""),
                        new byte[] {(byte) 0xC3, 0x28}, utf8("\"}}\n")));
                out.write(utf8("/fuzz/" + VICTIM + "/properties/report " + report(66) + "\n"));
                out.write(concat(bytes(random, random.nextInt(100)), utf8("\n")));
            }
            out.flush();
            drain(s);
        } catch (IOException expected) {
            // the platform may close the connection
        }
    }

    private static byte[] frame(String name, byte[] body) {
        return switch (name) {
            case "fztcpd" -> concat(body, utf8("\n"));
            case "fztcpf" -> pad(body, 256);
            case "fztcpl" -> lengthFramed(body);
            default -> body;
        };
    }

    private void fuzzHttp(int port, Random random) throws Exception {
        String head = "POST /fuzz/" + VICTIM + "/properties/report HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (int i = 0; i < ROUNDS; i++) {
            // garbage request lines
            tcp(port, false, printable(random, 1 + random.nextInt(300)), utf8("\r\n\r\n"));
            tcp(port, false, utf8("GET " + "/x".repeat(random.nextInt(5000)) + " HTTP/1.1\r\n\r\n"));
            tcp(port, false, utf8("POST / HTTP/9.9\r\n\r\n"), bytes(random, 50));
            // bad chunked encodings
            String[] chunks = {"zz\r\nab\r\n0\r\n\r\n", "FFFFFFFFFFFFFFFFFFFF\r\nab\r\n", "-1\r\nab\r\n", "5\r\nab\r\n0\r\n\r\n",
                "3;" + "e".repeat(10_000) + "\r\nabc\r\n0\r\n\r\n", "2\r\n" + report(66) + "\r\n0\r\n\r\n"};
            tcp(port, false, utf8(head + "Transfer-Encoding: chunked\r\n\r\n" + chunks[i % chunks.length]));
            // contradictory and absurd lengths, and no credentials at all
            tcp(port, false, utf8(head + "Content-Length: 99999999999999999999\r\n\r\n" + report(66)));
            tcp(port, false, utf8(head + "Content-Length: 5\r\nContent-Length: 50\r\n\r\n" + report(66)));
            tcp(port, false, utf8(head + "Content-Length: " + report(66).length() + "\r\n\r\n" + report(66)));
            // invalid UTF-8 in the client id header
            tcp(port, false, utf8(head + "X-Client-Id: "), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF},
                    utf8("\r\nX-Username: a\r\nX-Password: b\r\nContent-Length: 2\r\n\r\n{}"));
        }
        // huge headers: one enormous header, then very many small ones
        tcp(port, false, utf8(head + "X-Big: " + "a".repeat(1 << 20) + "\r\n\r\n"));
        tcp(port, false, utf8(head + "X-Many: b\r\n".repeat(20_000) + "\r\n"));
    }

    private void fuzzWebSocket(int port, Random random) throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            // garbage after a valid upgrade: random bytes, a text frame of invalid UTF-8, reserved opcodes, huge lengths
            wsAfterUpgrade(port, bytes(random, 1 + random.nextInt(1024)));
            wsAfterUpgrade(port, wsFrame(0x81, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}));
            wsAfterUpgrade(port, wsFrame(0x80 | (3 + random.nextInt(5)), bytes(random, 10)));
            // a binary frame announcing 2^63 - 1 bytes
            wsAfterUpgrade(port, new byte[] {(byte) 0x82, (byte) 0xFF, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4});
            wsAfterUpgrade(port, wsFrame(0x81, utf8("/fuzz/" + VICTIM + "/properties/report " + report(66))));
            // a broken upgrade
            tcp(port, false, utf8("GET /iot HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "),
                    bytes(random, 30), utf8("\r\nSec-WebSocket-Version: 13\r\n\r\n"), bytes(random, 30));
        }
    }

    private static void wsAfterUpgrade(int port, byte[] garbage) {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(wsUpgrade(port));
            byte[] head = readHead(s.getInputStream());
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).as("the upgrade answer").startsWith("HTTP/1.1 101");
            s.getOutputStream().write(garbage);
            drain(s);
        } catch (IOException expected) {
            // the platform closes a connection that breaks the protocol
        }
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toByteArray();
    }

    private static byte[] wsUpgrade(int port) {
        return utf8("GET /iot HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    }

    /** A masked client frame (mask 0: the payload goes as is). */
    private static byte[] wsFrame(int first, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        out.write(0x80 | payload.length);
        out.writeBytes(new byte[4]);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return head.toByteArray();
            }
            head.write(b);
            byte[] h = head.toByteArray();
            if (h.length >= 4 && h[h.length - 4] == '\r' && h[h.length - 3] == '\n' && h[h.length - 2] == '\r' && h[h.length - 1] == '\n') {
                return h;
            }
        }
    }

    /** Opens FLOOD connections at once, sends each a little garbage, holds them, then closes them all. */
    private static void flood(int port, Random random) {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < FLOOD; i++) {
                Socket s = connect(port);
                sockets.add(s);
                s.getOutputStream().write(bytes(random, random.nextInt(8)));
            }
            Thread.sleep(500);
        } catch (IOException | InterruptedException e) {
            // a refused connection is a valid answer to a flood
        } finally {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing garbage
                }
            }
        }
    }

    private static void slowTcp(int port, byte[] prefix) throws InterruptedException {
        try (Socket s = connect(port)) {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < SLOW_SECONDS * 10; i++) {
                out.write(prefix[i % prefix.length]);
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException expected) {
            // the platform may close a slow connection
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(READ_MS);
        return s;
    }

    /** One connection: the parts written, optionally a half-close, whatever the platform answers read, then closed. */
    private static void tcp(int port, boolean halfClose, byte[]... parts) {
        try (Socket s = connect(port)) {
            OutputStream out = s.getOutputStream();
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            drain(s);
        } catch (IOException expected) {
            // resets and closes are the platform's answer to garbage
        }
    }

    private static void drain(Socket s) throws IOException {
        byte[] buffer = new byte[4096];
        long deadline = System.currentTimeMillis() + 2000;
        try {
            while (s.getInputStream().read(buffer) >= 0 && System.currentTimeMillis() < deadline) {
                // discard
            }
        } catch (SocketTimeoutException quiet) {
            // nothing more for now
        }
    }

    // ---- garbage over datagrams ----

    private void fuzzUdp(int port, Random random) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        String login = FrameDevice.login(VICTIM, "wrong-secret")[0];
        for (int s = 0; s < 4; s++) {
            try (DatagramSocket socket = new DatagramSocket(0, loopback)) {
                for (int i = 0; i < ROUNDS * 4; i++) {
                    byte[][] datagrams = {
                        bytes(random, 1 + random.nextInt(1400)),
                        Arrays.copyOf(utf8(login), 1 + random.nextInt(login.length() - 1)),
                        utf8(login),
                        utf8("/fuzz/" + VICTIM + "/properties/report " + report(66)),
                        concat(utf8("/auth {\"clientId\":\""), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, utf8("\"}")),
                        flip(random, utf8(login)),
                        new byte[0],
                        bytes(random, 4000),
                    };
                    byte[] d = datagrams[random.nextInt(datagrams.length)];
                    socket.send(new DatagramPacket(d, d.length, loopback, port));
                }
            }
        }
    }

    private void fuzzCoap(int port, Random random) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        byte[] valid = coapReport(1, VICTIM, new String[] {VICTIM + "|" + System.currentTimeMillis(), "00"}, report(66));
        try (DatagramSocket socket = new DatagramSocket(0, loopback)) {
            for (int i = 0; i < ROUNDS * 8; i++) {
                byte[] token = bytes(random, random.nextInt(9));
                byte[][] datagrams = {
                    bytes(random, 1 + random.nextInt(1200)),
                    flip(random, valid),
                    Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1)),
                    // version 0, reserved token lengths 9..15
                    concat(new byte[] {0x00 | 0x02, 0x02, 0, 1}, bytes(random, 10)),
                    concat(new byte[] {(byte) (0x40 | (9 + random.nextInt(7))), 0x02, 0, 2}, bytes(random, 20)),
                    // malformed options: reserved nibble 15 in delta or length, an option running past the end,
                    // a payload marker without payload, option numbers beyond 65535
                    concat(coapHeader(0x02, i, token), new byte[] {(byte) 0xF1, 0x41}),
                    concat(coapHeader(0x02, i, token), new byte[] {(byte) 0x1F, 0x41}),
                    concat(coapHeader(0x02, i, token), new byte[] {(byte) 0xD5, 0x00, 0x61}),
                    concat(coapHeader(0x02, i, token), new byte[] {(byte) 0xFF}),
                    concat(coapHeader(0x02, i, token), repeat(new byte[] {(byte) 0xE0, (byte) 0xFF, (byte) 0xFF}, 40), utf8("x")),
                    concat(coapHeader(0x02, i, token), new byte[] {(byte) 0xEE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}),
                    // credentials with invalid UTF-8, a report without credentials, a random code
                    coap(0x02, i, token, new Object[][] {{11, utf8("fuzz")}, {2100, new byte[] {(byte) 0xC3, 0x28}},
                        {2104, new byte[] {(byte) 0xFF}}, {2108, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}}}, utf8(report(66))),
                    coap(0x02, i, token, new Object[][] {{11, utf8("fuzz")}, {11, utf8(VICTIM)}}, utf8(report(66))),
                    coap(random.nextInt(256), i, token, new Object[][] {{random.nextInt(3000), bytes(random, random.nextInt(40))}},
                        bytes(random, random.nextInt(100))),
                };
                byte[] d = datagrams[random.nextInt(datagrams.length)];
                socket.send(new DatagramPacket(d, d.length, loopback, port));
            }
        }
    }

    private static void slowDatagrams(int port) throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket socket = new DatagramSocket(0, loopback)) {
            byte[] login = utf8(FrameDevice.login(VICTIM, "wrong-secret")[0]);
            for (int i = 0; i < SLOW_SECONDS * 10; i++) {
                socket.send(new DatagramPacket(login, i % login.length, 1, loopback, port));
                Thread.sleep(100);
            }
        }
    }

    // ---- the good devices ----

    private void goodMqtt() throws Exception {
        try (DeviceClient d = DeviceClient.connect(ports.get("fzmqtt"), PRODUCT, "fz-mqtt", secrets.get("fzmqtt"))) {
            d.publish("properties/report", report(11));
        }
        awaitHumidity("fz-mqtt", 11);
    }

    private void goodTcpDelimiter() throws Exception {
        DeviceSecrets.put("fz-tcpd", secrets.get("fztcpd"));
        try (FrameDevice d = FrameDevice.connect(ports.get("fztcpd"), PRODUCT, "fz-tcpd")) {
            assertThat(d.loginReply).contains("\"success\":true");
            d.publish("properties/report", report(12));
            awaitHumidity("fz-tcpd", 12);
        }
    }

    private void goodTcpLength() throws Exception {
        try (Socket s = connect(ports.get("fztcpl"))) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(lengthFramed(utf8(FrameDevice.login("fz-tcpl", secrets.get("fztcpl"))[0])));
            byte[] header = s.getInputStream().readNBytes(2);
            int length = ((header[0] & 0xFF) << 8) | (header[1] & 0xFF);
            assertThat(new String(s.getInputStream().readNBytes(length), StandardCharsets.UTF_8)).contains("\"success\":true");
            s.getOutputStream().write(lengthFramed(utf8("/fuzz/fz-tcpl/properties/report " + report(13))));
            awaitHumidity("fz-tcpl", 13);
        }
    }

    private void goodTcpNone() throws Exception {
        try (Socket s = connect(ports.get("fztcpn"))) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(utf8(FrameDevice.login("fz-tcpn", secrets.get("fztcpn"))[0]));
            byte[] buffer = new byte[1024];
            int n = s.getInputStream().read(buffer);
            assertThat(new String(buffer, 0, Math.max(n, 0), StandardCharsets.UTF_8)).contains("\"success\":true");
            s.getOutputStream().write(utf8("/fuzz/fz-tcpn/properties/report " + report(14)));
            awaitHumidity("fz-tcpn", 14);
        }
    }

    /**
     * Fixed framing: the official protocol's login reply is never exactly one frame long, so no device of it can be
     * served over {@code framing=fixed}; the platform closes the connection with "the login reply ... cannot be sent"
     * (tcp/README.md, "Framing"). What is checked: a padded good login is still read and accepted, i.e. the reply that
     * could not be sent is the accepted one ({@code /auth/reply {"success":true,...}}, not a refusal's longer text).
     */
    private void goodTcpFixed() throws Exception {
        int localPort;
        try (Socket s = connect(ports.get("fztcpf"))) {
            s.setSoTimeout(15_000);
            localPort = s.getLocalPort();
            s.getOutputStream().write(pad(utf8(FrameDevice.login("fz-tcpf", secrets.get("fztcpf"))[0]), 256));
            assertThat(s.getInputStream().readAllBytes()).as("nothing is sent, the connection closes").isEmpty();
        }
        int accepted = utf8("/auth/reply {\"success\":true,\"deviceId\":\"fz-tcpf\",\"productId\":\"" + PRODUCT + "\"}").length;
        Path karafLog = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(Files.readAllLines(karafLog, StandardCharsets.ISO_8859_1))
                .anyMatch(l -> l.contains("login reply to /127.0.0.1:" + localPort + " cannot be sent")
                        && l.strip().endsWith("not " + accepted)));
    }

    private void goodUdp() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket socket = new DatagramSocket(0, loopback)) {
            socket.setSoTimeout(15_000);
            byte[] login = utf8(FrameDevice.login("fz-udp", secrets.get("fzudp"))[0]);
            socket.send(new DatagramPacket(login, login.length, loopback, ports.get("fzudp")));
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            socket.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).contains("\"success\":true");
            byte[] frame = utf8("/fuzz/fz-udp/properties/report " + report(15));
            socket.send(new DatagramPacket(frame, frame.length, loopback, ports.get("fzudp")));
            awaitHumidity("fz-udp", 15);
        }
    }

    private void goodHttp() throws Exception {
        String[] creds = FrameDevice.credentials("fz-http", secrets.get("fzhttp"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> ok = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ports.get("fzhttp") + "/fuzz/fz-http/properties/report"))
                .header("X-Client-Id", "fz-http").header("X-Username", creds[0]).header("X-Password", creds[1])
                .timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.ofString(report(16))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("downlinks");
        awaitHumidity("fz-http", 16);
    }

    private void goodWebSocket() throws Exception {
        List<String> frames = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        WebSocket socket = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + ports.get("fzws") + "/iot"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(15, TimeUnit.SECONDS);
        socket.sendText(FrameDevice.login("fz-ws", secrets.get("fzws"))[0], true).get(10, TimeUnit.SECONDS);
        await().atMost(15, TimeUnit.SECONDS).until(() -> frames.stream().anyMatch(f -> f.contains("\"success\":true")));
        socket.sendText("/fuzz/fz-ws/properties/report " + report(17), true).get(10, TimeUnit.SECONDS);
        awaitHumidity("fz-ws", 17);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    private void goodCoap() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        String[] creds = FrameDevice.credentials("fz-coap", secrets.get("fzcoap"));
        byte[] request = coapReport(0x7777, "fz-coap", creds, report(18));
        try (DatagramSocket socket = new DatagramSocket(0, loopback)) {
            socket.setSoTimeout(15_000);
            socket.send(new DatagramPacket(request, request.length, loopback, ports.get("fzcoap")));
            long deadline = System.currentTimeMillis() + 15_000;
            String answer = "";
            while (!answer.contains("downlinks") && System.currentTimeMillis() < deadline) {
                DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
                socket.receive(reply);
                byte[] d = Arrays.copyOf(reply.getData(), reply.getLength());
                if (d.length >= 2 && (d[1] & 0xFF) == 0x44) {
                    answer = new String(d, StandardCharsets.ISO_8859_1);
                }
            }
            assertThat(answer).as("a 2.04 answer with downlinks").contains("downlinks");
        }
        awaitHumidity("fz-coap", 18);
    }

    // ---- encodings ----

    private static final AtomicLong MESSAGE_IDS = new AtomicLong();

    private static byte[] coapReport(int token, String deviceId, String[] creds, String payload) {
        return coap(0x02, (int) MESSAGE_IDS.incrementAndGet(), new byte[] {(byte) (token >> 8), (byte) token},
                new Object[][] {{11, utf8(PRODUCT)}, {11, utf8(deviceId)}, {11, utf8("properties")}, {11, utf8("report")},
                    {2100, utf8(deviceId)}, {2104, utf8(creds[0])}, {2108, utf8(creds[1])}}, utf8(payload));
    }

    /** A confirmable CoAP request: header, token, options (number, value) in the given order, payload. */
    private static byte[] coap(int code, int messageId, byte[] token, Object[][] options, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(coapHeader(code, messageId, token));
        int last = 0;
        for (Object[] option : options) {
            int number = (Integer) option[0];
            byte[] value = (byte[]) option[1];
            int delta = number - last;
            last = number;
            ByteArrayOutputStream ext = new ByteArrayOutputStream();
            int d = nibble(delta, ext);
            int l = nibble(value.length, ext);
            out.write((d << 4) | l);
            out.writeBytes(ext.toByteArray());
            out.writeBytes(value);
        }
        if (payload.length > 0) {
            out.write(0xFF);
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    private static int nibble(int value, ByteArrayOutputStream ext) {
        if (value < 13) {
            return value;
        }
        if (value < 269) {
            ext.write(value - 13);
            return 13;
        }
        ext.write((value - 269) >> 8);
        ext.write(value - 269);
        return 14;
    }

    private static byte[] coapHeader(int code, int messageId, byte[] token) {
        return concat(new byte[] {(byte) (0x40 | token.length), (byte) code, (byte) (messageId >> 8), (byte) messageId}, token);
    }

    private static byte[] mqttConnect(byte[] clientId, String username, String password) {
        return mqttConnect(clientId, utf8(username), password);
    }

    private static byte[] mqttConnect(byte[] clientId, byte[] username, String password) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        v.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) 0xC2, 0, 60});
        mqttString(v, clientId);
        mqttString(v, username);
        mqttString(v, utf8(password));
        return packet(0x10, v.toByteArray());
    }

    private static byte[] mqttPublish(byte[] topic, byte[] payload) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        mqttString(v, topic);
        v.writeBytes(payload);
        return packet(0x30, v.toByteArray());
    }

    private static void mqttString(ByteArrayOutputStream out, byte[] value) {
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
    }

    /** An MQTT packet: the fixed header byte, the remaining length as a varint, the body. */
    private static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] lengthFramed(byte[] body) {
        return concat(new byte[] {(byte) (body.length >> 8), (byte) body.length}, body);
    }

    private static byte[] pad(byte[] body, int length) {
        byte[] padded = Arrays.copyOf(body, Math.max(length, body.length));
        Arrays.fill(padded, body.length, padded.length, (byte) ' ');
        return Arrays.copyOf(padded, length);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] printable(Random random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (0x20 + random.nextInt(0x5F));
        }
        return b;
    }

    /** A copy with a few random bits flipped. */
    private static byte[] flip(Random random, byte[] valid) {
        byte[] b = valid.clone();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    private static byte[] repeat(byte[] part, int times) {
        ByteBuffer out = ByteBuffer.allocate(part.length * times);
        for (int i = 0; i < times; i++) {
            out.put(part);
        }
        return out.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
