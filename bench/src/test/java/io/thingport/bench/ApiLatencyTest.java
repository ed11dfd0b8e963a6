package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.thingport.api.access.RequestSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiLatencyTest {
    /** Verifies the defaults of the options and that the password may come from the environment. */
    @Test
    void defaults() throws Exception {
        // GIVEN no options but the password in the environment
        Map<String, String> env = Map.of("THINGPORT_PASSWORD", "pw");

        // WHEN the command line is read
        ApiLatency.Config c = ApiLatency.Config.parse(new String[0], env);

        // THEN every figure has its documented default
        assertEquals("127.0.0.1", c.host());
        assertEquals(8181, c.port());
        assertEquals(1883, c.mqttPort());
        assertEquals("karaf", c.user());
        assertEquals("pw", c.password());
        assertEquals(Path.of("examples/thing-models/thermostat.json"), c.model());
        assertEquals(2000, c.requests());
        assertEquals(1000, c.warmup());
        assertEquals(4, c.rounds());
        assertEquals(1, c.concurrency());
        assertTrue(c.product().startsWith("api-bench-"));
        assertEquals(c.product() + "-1", c.device());
    }

    /** Verifies that a missing password, more rounds than requests and a bad number are refused as usage errors. */
    @Test
    void refusesBadOptions() throws Exception {
        // GIVEN / WHEN / THEN
        assertThrows(UsageException.class, () -> ApiLatency.Config.parse(new String[0], Map.of()));
        assertThrows(UsageException.class, () -> ApiLatency.Config.parse(
                new String[] {"--password", "x", "--requests", "3", "--rounds", "4"}, Map.of()));
        assertThrows(UsageException.class, () -> ApiLatency.Config.parse(
                new String[] {"--password", "x", "--concurrency", "0"}, Map.of()));
        assertEquals("y", ApiLatency.Config.parse(new String[] {"--password", "y"}, Map.of("THINGPORT_PASSWORD", "x"))
                .password());
    }

    /** Verifies that the requests are split over rounds (or clients) without losing or adding one. */
    @Test
    void sharesAddUp() {
        // GIVEN 2001 requests in 4 parts
        List<Integer> parts = new ArrayList<>();

        // WHEN split
        for (int i = 0; i < 4; i++) {
            parts.add(ApiLatency.share(2001, 4, i));
        }

        // THEN the parts differ by at most one and add up to the total
        assertEquals(List.of(500, 500, 500, 501), parts);
    }

    /** Verifies that each kind's p50 and p99 are divided by those of the first kind, and right and wrong answers counted. */
    @Test
    void ratiosToTheReference() throws Exception {
        // GIVEN a reference kind at 1 ms and a kind at 3 ms whose every fourth answer is wrong
        ApiLatency.Kind ref = new ApiLatency.Kind("a", "ref", () -> new ApiHttp.Answer(200, "{}"), a -> null);
        int[] n = {0};
        ApiLatency.Kind slow = new ApiLatency.Kind("b", "slow", () -> new ApiHttp.Answer(++n[0] % 4 == 0 ? 500 : 200, "x"),
                a -> a.ok() ? null : a.describe());
        for (int i = 0; i < 100; i++) {
            ref.latency.record(1000);
        }
        for (int i = 0; i < 8; i++) {
            slow.once(false);
        }
        for (int i = 0; i < 100; i++) {
            slow.latency.record(3000);
        }
        ref.measuredNanos = 100_000_000L;
        slow.measuredNanos = 300_000_000L;
        slow.serverCpuS = 0.15;

        // WHEN the figures are computed
        List<ApiLatency.Figures> f = ApiLatency.figures(List.of(ref, slow));

        // THEN the ratios are relative to the reference, the rates are per measured second, the errors are counted
        assertEquals(1.0, f.get(0).p50Ratio(), 1e-9);
        assertEquals(3.0, f.get(1).p50Ratio(), 1e-9);
        assertEquals(3.0, f.get(1).p99Ratio(), 1e-9);
        assertEquals(1000.0, f.get(0).rate(), 1e-6);
        assertEquals(333.3, f.get(1).rate(), 0.1);
        assertEquals(2, f.get(1).errors());
        assertEquals(Map.of("HTTP 500: x", 2L), slow.reasons);
        String table = ApiLatency.table(f);
        assertTrue(table.contains("(b) slow"), table);
        assertTrue(table.matches("(?s).*\\s3\\.00\\s+3\\.00\\s+1\\.50\\n"), table);
        assertTrue(Double.isNaN(f.get(0).serverCpuMsPerRequest()));
    }

    /** Verifies the JSON line: the tool's name, every kind with its figures, and the result. */
    @Test
    void jsonLine() throws Exception {
        // GIVEN the figures of one kind
        ApiLatency.Config cfg = ApiLatency.Config.parse(new String[] {"--password", "p", "--requests", "10"}, Map.of());
        ApiLatency.Figures f = new ApiLatency.Figures("a", "ref", 10, 0, 0.5, 0.6, 0.7, 0.9, 0.55, 1800, 1, 1, 0.25);

        // WHEN written
        Map<String, Object> json = Json.parseObject(ApiLatency.json(cfg, List.of(f), Map.of("commandsAnswered", 7L),
                List.of("(d) 1 x HTTP 409")));

        // THEN it reads back
        assertEquals(ApiLatency.TOOL, json.get("tool"));
        assertEquals(10.0, json.get("requests"));
        assertEquals("FAILED", json.get("result"));
        assertEquals(7.0, json.get("commandsAnswered"));
        @SuppressWarnings("unchecked")
        Map<String, Object> k = (Map<String, Object>) ((List<Object>) json.get("kinds")).get(0);
        assertEquals(0.7, (Double) k.get("p99Ms"), 1e-9);
        assertEquals(1800.0, k.get("rate"));
        assertEquals(0.25, (Double) k.get("serverCpuMsPerRequest"), 1e-9);
    }

    /** Verifies the device's answer to a command: the same messageId, success; none without a messageId. */
    @Test
    void invokeReply() {
        // GIVEN / WHEN / THEN
        assertEquals("{\"messageId\":\"m\\\"1\",\"success\":true,\"output\":\"ok\"}",
                CommandDevice.invokeReply("{\"messageId\":\"m\\\"1\",\"function\":\"reboot\",\"inputs\":{\"delay\":1}}"));
        assertNull(CommandDevice.invokeReply("{\"function\":\"reboot\"}"));
        assertNull(CommandDevice.invokeReply("not json"));
    }

    /** Verifies that a signed request reaches the server with headers that the platform's own function accepts. */
    @Test
    void signsEveryRequestWithAFreshNonce() throws Exception {
        // GIVEN a server that checks the signature as the platform does, with the application's secret
        List<String> nonces = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String ts = ex.getRequestHeaders().getFirst(RequestSignature.HEADER_TIMESTAMP);
            String nonce = ex.getRequestHeaders().getFirst(RequestSignature.HEADER_NONCE);
            String expected = RequestSignature.sign("s3cret", ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    ex.getRequestURI().getRawQuery(), body.length == 0 ? null : body, ts, nonce);
            boolean ok = "app-1".equals(ex.getRequestHeaders().getFirst(RequestSignature.HEADER_APP))
                    && RequestSignature.matches(expected, ex.getRequestHeaders().getFirst(RequestSignature.HEADER_SIGNATURE));
            synchronized (nonces) {
                nonces.add(nonce);
                verdicts.add(ok ? "ok" : "bad");
            }
            byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 200 : 401, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        try {
            ApiHttp app = ApiHttp.application(ApiHttp.newClient(), "http://127.0.0.1:" + server.getAddress().getPort(),
                    "app-1", "s3cret");

            // WHEN it sends a GET with a query and a POST with a body
            ApiHttp.Answer get = app.get("/devices/d1/properties?b=2&a=1");
            ApiHttp.Answer post = app.post("/devices/d1/commands", ApiLatency.INVOKE);

            // THEN both are accepted, each with its own valid nonce
            assertEquals(200, get.status());
            assertEquals(200, post.status());
            assertEquals(List.of("ok", "ok"), verdicts);
            assertNotEquals(nonces.get(0), nonces.get(1));
            assertTrue(nonces.stream().allMatch(x -> RequestSignature.NONCE.matcher(x).matches()), nonces.toString());
        } finally {
            server.stop(0);
        }
    }

    /** Verifies that a command's time is split where the device received it, and not when that was another request's. */
    @Test
    void splitsACommandAtTheDevice() throws Exception {
        // GIVEN a command whose device receives it while the request is under way, and one whose device time is older
        long[] received = {0};
        ApiLatency.Kind during = new ApiLatency.Kind("d", "cmd", () -> {
            received[0] = System.nanoTime();
            return new ApiHttp.Answer(200, "{}");
        }, a -> null);
        during.deviceReceived = () -> received[0];
        long before = System.nanoTime() - 1_000_000_000L;
        ApiLatency.Kind stale = new ApiLatency.Kind("d", "cmd", () -> new ApiHttp.Answer(200, "{}"), a -> null);
        stale.deviceReceived = () -> before;

        // WHEN each sends one measured request
        during.once(true);
        stale.once(true);

        // THEN only the first is split, into two parts that add up to its latency (to the microsecond of each part)
        assertEquals(1, during.toDevice.count());
        assertEquals(1, during.fromDevice.count());
        long sum = during.toDevice.maxUs() + during.fromDevice.maxUs();
        assertTrue(Math.abs(sum - during.latency.maxUs()) <= 1, sum + " vs " + during.latency.maxUs());
        assertEquals(1, stale.latency.count());
        assertEquals(0, stale.toDevice.count());
    }

    /** Verifies that a process's CPU time is read from /proc: user + system ticks, whatever its command name holds. */
    @Test
    void readsCpuTime() throws Exception {
        // GIVEN a stat line whose command holds spaces and a parenthesis, utime 250 and stime 50 ticks
        String line = "4242 (java) (x y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 42 0 1000 0 0";

        // WHEN parsed, and this JVM's own time read
        long ticks = ProcCpu.ticks(line);
        double own = new ProcCpu(ProcessHandle.current().pid(), 100).seconds();

        // THEN the ticks add up, and a running JVM has used some CPU
        assertEquals(300, ticks);
        assertTrue(own > 0, "own CPU " + own);
    }

    /** Verifies that an I/O failure of a request is an error with its reason, not a latency. */
    @Test
    void ioFailureIsAnError() throws Exception {
        // GIVEN a kind whose request fails
        ApiLatency.Kind k = new ApiLatency.Kind("a", "x", () -> {
            throw new IOException("refused");
        }, a -> null);

        // WHEN sent, measured
        k.once(true);

        // THEN nothing is recorded, one error is counted
        assertEquals(0, k.latency.count());
        assertEquals(1, k.errors.get());
        assertEquals(Map.of("IOException refused", 1L), k.reasons);
    }
}
