package io.thingport.bench;

import io.thingport.api.access.RequestSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A caller of the Open API ({@code http://host:port/api/v1}) over the JDK's HTTP client, HTTP/1.1 with keep-alive:
 * a person (Basic, or a bearer token) or an application that signs every request with {@link RequestSignature} and a
 * fresh nonce. Thread-safe: concurrent requests share the client's connection pool (one connection per request in
 * flight).
 */
final class ApiHttp {
    /** An answer: status and body. */
    record Answer(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The body as a JSON object ({@link Json}), or null when it is not one. */
        Map<String, Object> json() {
            try {
                return Json.parseObject(body);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** Status and the start of the body, for error messages. */
        String describe() {
            return "HTTP " + status + (body.isEmpty() ? "" : ": " + DeviceClient.abbreviate(body.replace('\n', ' '), 200));
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PREFIX = "/api/v1";

    private final HttpClient http;
    private final String origin;
    private final String authorization;
    private final String appId;
    private final String appSecret;
    /** A random prefix per client and a counter: every signed request gets a nonce never used before. */
    private final String noncePrefix;
    private final AtomicLong nonceCounter = new AtomicLong();

    private ApiHttp(HttpClient http, String origin, String authorization, String appId, String appSecret) {
        this.http = http;
        this.origin = origin;
        this.authorization = authorization;
        this.appId = appId;
        this.appSecret = appSecret;
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.noncePrefix = HexFormat.of().formatHex(random);
    }

    /** The shared HTTP/1.1 client (keep-alive connections, 5 s connect timeout). */
    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static ApiHttp basic(HttpClient http, String origin, String user, String password) {
        return new ApiHttp(http, origin, "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)), null, null);
    }

    static ApiHttp bearer(HttpClient http, String origin, String token) {
        return new ApiHttp(http, origin, "Bearer " + token, null, null);
    }

    static ApiHttp application(HttpClient http, String origin, String id, String secret) {
        return new ApiHttp(http, origin, null, id, secret);
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    Answer delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    /** A request to {@code /api/v1<path>} ({@code path} may carry a query), signed when this caller is an application. */
    Answer send(String method, String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + PREFIX + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (appId != null) {
            List<String> headers = signatureHeaders(method, PREFIX + path, body, System.currentTimeMillis(), nonce());
            for (int i = 0; i < headers.size(); i += 2) {
                b.header(headers.get(i), headers.get(i + 1));
            }
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(r.statusCode(), r.body());
    }

    /** A nonce this caller has not used before: 16 hex characters of chance and a counter. */
    String nonce() {
        return noncePrefix + "n" + nonceCounter.incrementAndGet();
    }

    /**
     * The four headers of a signed request, as name, value, name, value ...: the signature covers the method, the path
     * as sent, the sorted query, the body's SHA-256, the timestamp and the nonce ({@link RequestSignature#sign}).
     */
    List<String> signatureHeaders(String method, String fullPath, byte[] body, long timestampMs, String nonce) {
        int q = fullPath.indexOf('?');
        String rawPath = q < 0 ? fullPath : fullPath.substring(0, q);
        String query = q < 0 ? "" : fullPath.substring(q + 1);
        String ts = Long.toString(timestampMs);
        List<String> h = new ArrayList<>(8);
        h.add(RequestSignature.HEADER_APP);
        h.add(appId);
        h.add(RequestSignature.HEADER_TIMESTAMP);
        h.add(ts);
        h.add(RequestSignature.HEADER_NONCE);
        h.add(nonce);
        h.add(RequestSignature.HEADER_SIGNATURE);
        h.add(RequestSignature.sign(appSecret, method, rawPath, query, body, ts, nonce));
        return h;
    }
}
