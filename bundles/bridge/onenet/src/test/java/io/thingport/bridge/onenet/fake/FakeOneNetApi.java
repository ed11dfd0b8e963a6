package io.thingport.bridge.onenet.fake;

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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A fake OneNET Studio API on 127.0.0.1 (a free port): {@code POST /thingmodel/set-device-property} and
 * {@code POST /thingmodel/call-service}. It checks the {@code authorization} token (version, res
 * {@code products/{pid}}, expiry, method, HMAC signature with the configured access key; the check is written here
 * independently of the main code), checks the body, records every call, and answers like OneNET:
 * {@code {"code":0,"msg":"succ","data":{..},"request_id":".."}} or an error code. The error codes are this fake's own
 * (OneNET's real ones are not in the spec).
 */
public final class FakeOneNetApi implements AutoCloseable {
    /** Bad, expired or foreign token. */
    public static final int CODE_AUTH_FAILED = 10403;
    /** Body does not have the expected fields. */
    public static final int CODE_BAD_BODY = 10400;
    private static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One request received: its path, authorization header, parsed body (null if not JSON) and the code answered. */
    public record Call(String path, String authorization, JsonNode body, int answeredCode) {
    }

    private final HttpServer server;
    private final String productId;
    private final String accessKey;
    private final Clock clock;
    private final List<Call> calls = new ArrayList<>();
    private final AtomicInteger requestIds = new AtomicInteger();
    private int nextFailureCode;
    private String nextFailureMsg;

    private FakeOneNetApi(HttpServer server, String productId, String accessKey, Clock clock) {
        this.server = server;
        this.productId = productId;
        this.accessKey = accessKey;
        this.clock = clock;
    }

    /** Starts a fake for one product and its Base64 access key; {@code clock} decides whether a token has expired. */
    public static FakeOneNetApi start(String productId, String accessKey, Clock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeOneNetApi fake = new FakeOneNetApi(server, productId, accessKey, clock);
        server.createContext("/thingmodel/set-device-property", exchange -> fake.handle(exchange, false));
        server.createContext("/thingmodel/call-service", exchange -> fake.handle(exchange, true));
        server.start();
        return fake;
    }

    /** {@code http://127.0.0.1:{port}}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The calls received so far. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Answers the next call that passes the checks with this code and msg instead of success. */
    public synchronized void failNext(int code, String msg) {
        nextFailureCode = code;
        nextFailureMsg = msg;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange, boolean service) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("authorization");
            JsonNode body = readBody(exchange.getRequestBody());
            int code;
            String msg;
            synchronized (this) {
                if (!tokenValid(authorization)) {
                    code = CODE_AUTH_FAILED;
                    msg = "auth failed";
                } else if (!bodyValid(body, service)) {
                    code = CODE_BAD_BODY;
                    msg = "invalid params";
                } else if (nextFailureCode != 0) {
                    code = nextFailureCode;
                    msg = nextFailureMsg;
                    nextFailureCode = 0;
                } else {
                    code = 0;
                    msg = "succ";
                }
                calls.add(new Call(exchange.getRequestURI().getPath(), authorization, body, code));
            }
            ObjectNode answer = MAPPER.createObjectNode();
            answer.put("code", code);
            answer.put("msg", msg);
            if (code == 0) {
                answer.putObject("data").put("id", Integer.toString(requestIds.incrementAndGet()));
            }
            answer.put("request_id", "fake-" + requestIds.incrementAndGet());
            byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static JsonNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            return null;
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private boolean bodyValid(JsonNode body, boolean service) {
        if (body == null || !body.isObject()) {
            return false;
        }
        boolean common = body.path("product_id").asText("").equals(productId) && body.path("product_id").isTextual()
                && body.path("device_name").isTextual() && !body.path("device_name").textValue().isEmpty()
                && body.path("params").isObject();
        return common && (!service || body.path("identifier").isTextual() && !body.path("identifier").textValue().isEmpty());
    }

    private boolean tokenValid(String token) {
        if (token == null) {
            return false;
        }
        Map<String, String> parts = new HashMap<>();
        for (String pair : token.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                return false;
            }
            parts.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        String version = parts.get("version");
        String res = parts.get("res");
        String et = parts.get("et");
        String method = parts.get("method");
        String sign = parts.get("sign");
        if (!"2018-10-31".equals(version) || !("products/" + productId).equals(res) || et == null || method == null || sign == null) {
            return false;
        }
        try {
            if (Long.parseLong(et) <= clock.instant().getEpochSecond()) {
                return false;
            }
        } catch (NumberFormatException e) {
            return false;
        }
        String algorithm = switch (method) {
            case "md5" -> "HmacMD5";
            case "sha1" -> "HmacSHA1";
            case "sha256" -> "HmacSHA256";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(accessKey), algorithm));
            byte[] expected = mac.doFinal((et + "\n" + method + "\n" + res + "\n" + version).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(Base64.getEncoder().encode(expected), sign.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
