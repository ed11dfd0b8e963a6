package io.thingport.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thingport.api.access.RequestSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A client of the Open API over real HTTP (the JDK's client): as a person (Basic or a bearer token), as an application
 * (each request signed with {@link RequestSignature}, as the README tells application developers), or with no
 * credentials at all.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: its status, body and headers. */
    record Answer(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** The error code of an error answer. */
        String code() {
            return json().path("code").asText();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String origin;
    private final String authorization;
    private final String appId;
    private final String appSecret;

    private ApiClient(String origin, String authorization, String appId, String appSecret) {
        this.origin = origin;
        this.authorization = authorization;
        this.appId = appId;
        this.appSecret = appSecret;
    }

    static ApiClient anonymous(int port) {
        return new ApiClient("http://127.0.0.1:" + port, null, null, null);
    }

    static ApiClient basic(int port, String user, String password) {
        return new ApiClient("http://127.0.0.1:" + port, "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)), null, null);
    }

    static ApiClient bearer(int port, String token) {
        return new ApiClient("http://127.0.0.1:" + port, "Bearer " + token, null, null);
    }

    static ApiClient application(int port, String id, String secret) {
        return new ApiClient("http://127.0.0.1:" + port, null, id, secret);
    }

    Answer get(String path) throws Exception {
        return call("GET", path, null, Map.of());
    }

    Answer post(String path, String json) throws Exception {
        return call("POST", path, json, Map.of());
    }

    Answer put(String path, String json, Map<String, String> headers) throws Exception {
        return call("PUT", path, json, headers);
    }

    Answer delete(String path) throws Exception {
        return call("DELETE", path, null, Map.of());
    }

    /** A request to {@code /api/v1<path>} ({@code path} may carry a query), signed when this client is an application. */
    Answer call(String method, String path, String json, Map<String, String> headers) throws Exception {
        return send(signed(method, path, json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                String.valueOf(System.currentTimeMillis()), nonce()).headers(headers), method, path, json);
    }

    /** The headers of a signed request, for tests that tamper with them. */
    Map<String, String> signature(String method, String path, byte[] body, String timestamp, String nonce) {
        String full = "/api/v1" + path;
        int q = full.indexOf('?');
        String rawPath = q < 0 ? full : full.substring(0, q);
        String query = q < 0 ? "" : full.substring(q + 1);
        return Map.of(RequestSignature.HEADER_APP, appId, RequestSignature.HEADER_TIMESTAMP, timestamp,
                RequestSignature.HEADER_NONCE, nonce, RequestSignature.HEADER_SIGNATURE,
                RequestSignature.sign(appSecret, method, rawPath, query, body, timestamp, nonce));
    }

    /** Sends a request with exactly these headers (and this client's Authorization, if any). */
    Answer raw(String method, String path, String json, Map<String, String> headers) throws Exception {
        return send(new Headers(headers), method, path, json);
    }

    static String nonce() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private Headers signed(String method, String path, byte[] body, String timestamp, String nonce) {
        return new Headers(appId == null ? Map.of() : signature(method, path, body, timestamp, nonce));
    }

    private record Headers(Map<String, String> values) {
        Headers headers(Map<String, String> more) {
            HashMap<String, String> all = new HashMap<>(values);
            all.putAll(more);
            return new Headers(all);
        }
    }

    private Answer send(Headers headers, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + "/api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null && !headers.values().containsKey("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.values().forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(r.statusCode(), r.body(), r.headers());
    }
}
