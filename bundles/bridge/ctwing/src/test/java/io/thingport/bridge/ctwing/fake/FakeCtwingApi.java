package io.thingport.bridge.ctwing.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A fake CTWing API gateway on 127.0.0.1 (port 0), JDK + Jackson only. It checks every signed call exactly as the wire
 * facts specify, recomputing the string to sign from the received request (query parameters, MasterKey header, body)
 * with its own code, checks the create-command body, records every call, hands out command ids, answers the query
 * and serves {@code GET /echo} with {@code x-ag-timestamp}.
 *
 * <p>Its error answers are invented (the real ones are not in the wire facts): a bad signature, application, version or
 * MasterKey is HTTP 401 with {@code {"code":<n>,"msg":".."}}; a bad command body or an unknown command is HTTP 200 with
 * a non-zero {@code code}. Success is {@code {"code":0,"msg":"ok","result":{...}}}, the shape the bridge assumes.
 */
public final class FakeCtwingApi implements AutoCloseable {
    public static final String COMMAND_PATH = "/aep_device_command/command";
    public static final String CREATE_VERSION = "20190712225145";
    public static final String QUERY_VERSION = "20190712225241";
    /** Invented codes of the fake's refusals. */
    public static final long BAD_SIGNATURE = 1010;
    public static final long BAD_HEADERS = 1011;
    public static final long BAD_BODY = 1020;
    public static final long UNKNOWN_COMMAND = 1030;
    public static final long STALE_TIMESTAMP = 1040;
    /** Command ids are decimal numbers from {@code COMMAND_ID_BASE + 1} on. */
    public static final long COMMAND_ID_BASE = 70_000_000L;

    /** One call as the fake received it, and its verdict ("ok" or why it was refused). */
    public record Call(String method, String path, Map<String, String> query, Map<String, String> headers, String body, String verdict) {
    }

    /** A command the fake accepted. */
    public record Command(String commandId, String deviceId, String operator, long productId, String payload, int dataType, int ttl,
            int level) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String appKey;
    private final String appSecret;
    private final String masterKey;
    private final long productId;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Command> commands = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicReference<long[]> failNext = new AtomicReference<>();
    private final AtomicReference<String> failNextMessage = new AtomicReference<>();
    private final AtomicReference<CountDownLatch> holdNext = new AtomicReference<>();
    private final AtomicInteger oversizeNext = new AtomicInteger();
    private volatile long clockOffsetMillis;
    private volatile long maxSkewMillis = -1;

    private FakeCtwingApi(String appKey, String appSecret, String masterKey, long productId) throws IOException {
        this.appKey = appKey;
        this.appSecret = appSecret;
        this.masterKey = masterKey;
        this.productId = productId;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    /** Starts a fake that accepts calls signed with these credentials for this product. */
    public static FakeCtwingApi start(String appKey, String appSecret, String masterKey, long productId) throws IOException {
        FakeCtwingApi fake = new FakeCtwingApi(appKey, appSecret, masterKey, productId);
        fake.server.start();
        return fake;
    }

    /** The base URL to configure ({@code http://127.0.0.1:<port>}). */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every call so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Every accepted command, by id. */
    public Map<String, Command> commands() {
        return Map.copyOf(commands);
    }

    /** The fake's clock runs {@code offset} ms ahead of the local clock ({@code /echo} and the skew check use it). */
    public FakeCtwingApi clockOffsetMillis(long offset) {
        this.clockOffsetMillis = offset;
        return this;
    }

    /** Refuse signed calls whose {@code timestamp} is further than {@code skew} ms from the fake's clock. */
    public FakeCtwingApi maxSkewMillis(long skew) {
        this.maxSkewMillis = skew;
        return this;
    }

    /** The next signed call that passes the checks is answered HTTP 200 with this {@code code} and {@code msg}. */
    public FakeCtwingApi failNext(long code, String msg) {
        failNext.set(new long[] {code});
        failNextMessage.set(msg);
        return this;
    }

    /** The next call waits (at most 30 s) until {@code release} opens before it is answered. */
    public FakeCtwingApi holdNext(CountDownLatch release) {
        holdNext.set(release);
        return this;
    }

    /** The next call is answered HTTP 200 with a body of {@code bytes} bytes. */
    public FakeCtwingApi oversizeNext(int bytes) {
        oversizeNext.set(bytes);
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] bodyBytes;
            try (InputStream in = exchange.getRequestBody()) {
                bodyBytes = in.readAllBytes();
            }
            String body = new String(bodyBytes, StandardCharsets.UTF_8);
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            CountDownLatch hold = holdNext.getAndSet(null);
            if (hold != null) {
                awaitQuietly(hold);
            }
            int oversize = oversizeNext.getAndSet(0);
            if (oversize > 0) {
                record(method, path, query, headers, body, "oversize");
                answer(exchange, 200, new byte[oversize]);
                return;
            }
            if ("GET".equals(method) && "/echo".equals(path)) {
                record(method, path, query, headers, body, "ok");
                exchange.getResponseHeaders().add("x-ag-timestamp", Long.toString(fakeNow()));
                answer(exchange, 200, "{\"code\":0,\"msg\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!COMMAND_PATH.equals(path) || !("POST".equals(method) || "GET".equals(method))) {
                record(method, path, query, headers, body, "not found");
                answer(exchange, 404, error(404, "no such API"));
                return;
            }
            String version = "POST".equals(method) ? CREATE_VERSION : QUERY_VERSION;
            String refusal = checkSignature(headers, query, bodyBytes, version);
            if (refusal != null) {
                record(method, path, query, headers, body, refusal);
                long code = refusal.startsWith("signature") ? BAD_SIGNATURE
                        : refusal.startsWith("timestamp") ? STALE_TIMESTAMP : BAD_HEADERS;
                answer(exchange, 401, error(code, refusal));
                return;
            }
            long[] failure = failNext.getAndSet(null);
            if (failure != null) {
                record(method, path, query, headers, body, "failNext");
                answer(exchange, 200, error(failure[0], failNextMessage.get()));
                return;
            }
            if ("POST".equals(method)) {
                create(exchange, method, path, query, headers, body);
            } else {
                query(exchange, method, path, query, headers, body);
            }
        }
    }

    private void create(HttpExchange exchange, String method, String path, Map<String, String> query, Map<String, String> headers,
            String body) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        String problem = commandBodyProblem(root);
        if (problem != null) {
            record(method, path, query, headers, body, problem);
            answer(exchange, 200, error(BAD_BODY, problem));
            return;
        }
        // numeric, as the bridge assumes (*unverified*) that a commandResponse's numeric taskId is this commandId
        String id = Long.toString(COMMAND_ID_BASE + nextId.getAndIncrement());
        JsonNode content = root.get("content");
        Command command = new Command(id, root.get("deviceId").asText(), root.get("operator").asText(), root.get("productId").asLong(),
                content.get("payload").asText(), content.get("dataType").asInt(), root.get("ttl").asInt(), root.get("level").asInt());
        commands.put(id, command);
        record(method, path, query, headers, body, "ok");
        answer(exchange, 200, success(command, "指令已保存"));
    }

    private void query(HttpExchange exchange, String method, String path, Map<String, String> query, Map<String, String> headers,
            String body) throws IOException {
        Command command = commands.get(query.getOrDefault("commandId", ""));
        if (command == null || !command.deviceId().equals(query.get("deviceId"))
                || !Long.toString(command.productId()).equals(query.get("productId"))) {
            record(method, path, query, headers, body, "unknown command");
            answer(exchange, 200, error(UNKNOWN_COMMAND, "command not found"));
            return;
        }
        record(method, path, query, headers, body, "ok");
        answer(exchange, 200, success(command, "SENT"));
    }

    /** Null when the headers carry a valid signature for this request, else why not. */
    private String checkSignature(Map<String, String> headers, Map<String, String> query, byte[] body, String version) {
        if (!appKey.equals(headers.get("application"))) {
            return "application header is missing or unknown";
        }
        if (!version.equals(headers.get("version"))) {
            return "version header must be " + version;
        }
        if (!masterKey.equals(headers.get("MasterKey"))) {
            return "MasterKey header is missing or wrong";
        }
        if (!"application/json; charset=UTF-8".equals(headers.get("Content-Type"))) {
            return "Content-Type must be application/json; charset=UTF-8";
        }
        String timestamp = headers.getOrDefault("timestamp", "");
        if (!timestamp.matches("[0-9]{1,18}")) {
            return "timestamp header is missing or not milliseconds";
        }
        if (maxSkewMillis >= 0 && Math.abs(Long.parseLong(timestamp) - fakeNow()) > maxSkewMillis) {
            return "timestamp is too far from the gateway's clock";
        }
        Map<String, String> signed = new TreeMap<>(query);
        signed.put("MasterKey", headers.get("MasterKey"));
        StringBuilder text = new StringBuilder();
        text.append("application:").append(headers.get("application")).append('\n');
        text.append("timestamp:").append(timestamp).append('\n');
        for (Map.Entry<String, String> entry : signed.entrySet()) {
            text.append(entry.getKey()).append(':').append(entry.getValue()).append('\n');
        }
        if (body.length > 0) {
            text.append(new String(body, StandardCharsets.UTF_8)).append('\n');
        }
        byte[] expected = hmacSha1(text.toString());
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(headers.getOrDefault("signature", ""));
        } catch (IllegalArgumentException e) {
            return "signature is not Base64";
        }
        return MessageDigest.isEqual(expected, presented) ? null : "signature does not match";
    }

    private String commandBodyProblem(JsonNode root) {
        if (root == null || !root.isObject()) {
            return "body is not a JSON object";
        }
        JsonNode content = root.get("content");
        if (content == null || !content.isObject() || !content.path("payload").isTextual()) {
            return "content.payload must be a string";
        }
        int dataType = content.path("dataType").asInt(-1);
        if (!content.path("dataType").isInt() || (dataType != 1 && dataType != 2)) {
            return "content.dataType must be 1 or 2";
        }
        if (dataType == 2 && !content.get("payload").asText().matches("(?:[0-9A-Fa-f]{2})+")) {
            return "content.payload is not hex";
        }
        if (!root.path("deviceId").isTextual() || root.get("deviceId").asText().isEmpty()) {
            return "deviceId must be a string";
        }
        if (!root.path("operator").isTextual() || root.get("operator").asText().isEmpty()) {
            return "operator must be a string";
        }
        if (!root.path("productId").isIntegralNumber() || root.get("productId").asLong() != productId) {
            return "productId must be the number " + productId;
        }
        if (!root.path("ttl").isInt() || !root.path("level").isInt()) {
            return "ttl and level must be integers";
        }
        return null;
    }

    private byte[] hmacSha1(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private long fakeNow() {
        return System.currentTimeMillis() + clockOffsetMillis;
    }

    private void record(String method, String path, Map<String, String> query, Map<String, String> headers, String body, String verdict) {
        calls.add(new Call(method, path, Collections.unmodifiableMap(new LinkedHashMap<>(query)),
                Collections.unmodifiableMap(new TreeMap<>(headers)), body, verdict));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    private static byte[] success(Command command, String status) {
        ObjectNode root = JSON.createObjectNode();
        root.put("code", 0);
        root.put("msg", "ok");
        ObjectNode result = root.putObject("result");
        result.put("commandId", command.commandId());
        result.put("commandStatus", status);
        result.put("deviceId", command.deviceId());
        result.put("productId", command.productId());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] error(long code, String msg) {
        ObjectNode root = JSON.createObjectNode();
        root.put("code", code);
        root.put("msg", msg);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException e) {
                // the client went away (timeout or size bound): nothing to answer to
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The fake's call log as text, for assertion messages. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        calls.forEach(call -> lines.add(call.method() + " " + call.path() + " -> " + call.verdict()));
        return "FakeCtwingApi" + lines;
    }
}
