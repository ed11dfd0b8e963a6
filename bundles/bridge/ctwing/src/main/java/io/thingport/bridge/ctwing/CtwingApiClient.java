package io.thingport.bridge.ctwing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Performs the CTWing API calls with {@link HttpClient}: signs each call with {@link ApiRequest#signedHeaders} at
 * {@code clock + offset} ({@link #synchronizeClock()} measures the offset), bounds the whole exchange by a timeout and
 * the answer by a size, and maps every failure to a {@link CtwingApiException} naming the call. Thread-safe.
 */
public final class CtwingApiClient {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

    static final String CREATE_COMMAND = "CTWing create command";
    static final String QUERY_COMMAND = "CTWing query command";
    static final String ECHO = "CTWing echo";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CtwingBridgeConfig config;
    private final HttpClient http;
    private final LongSupplier clock;
    private final Duration requestTimeout;
    private final int maxResponseBytes;
    private volatile long offsetMillis;

    /** A client with its own {@link HttpClient} (HTTP/1.1, no redirects), the system clock and the default bounds. */
    public CtwingApiClient(CtwingBridgeConfig config) {
        this(config, defaultHttpClient(DEFAULT_CONNECT_TIMEOUT), System::currentTimeMillis, DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAX_RESPONSE_BYTES);
    }

    public CtwingApiClient(CtwingBridgeConfig config, HttpClient http, LongSupplier clock, Duration requestTimeout, int maxResponseBytes) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        if (maxResponseBytes <= 0) {
            throw new IllegalArgumentException("maxResponseBytes must be positive");
        }
        this.maxResponseBytes = maxResponseBytes;
    }

    /** An {@link HttpClient} fit for the API: HTTP/1.1, no redirects, the given connect timeout. */
    public static HttpClient defaultHttpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    /** Calls {@code GET /echo}, stores and returns the gateway's clock offset (ms, positive when it is ahead). */
    public long synchronizeClock() {
        long sentAt = clock.getAsLong();
        HttpResponse<byte[]> response = exchange(ECHO, CommandRequests.echo(), Map.of());
        long receivedAt = clock.getAsLong();
        requireSuccess(ECHO, response);
        long server = ClockOffset.serverMillis(response.headers().firstValue(CtwingApi.SERVER_TIMESTAMP_HEADER).orElse(null));
        long offset = ClockOffset.offsetMillis(server, sentAt, Math.max(sentAt, receivedAt));
        offsetMillis = offset;
        return offset;
    }

    /** The clock offset in use (0 until {@link #synchronizeClock()} succeeds). */
    public long clockOffsetMillis() {
        return offsetMillis;
    }

    /** Sends a command to {@code deviceId} (product, operator and ttl from the config). */
    public CommandInfo sendCommand(String deviceId, CommandPayload payload) {
        return ApiResponses.command(CREATE_COMMAND, call(CREATE_COMMAND, CommandRequests.create(config, deviceId, payload)));
    }

    /** Sends {@code payload} as the config's default {@link CtwingBridgeConfig#payloadDataType()} (hex unless set). */
    public CommandInfo sendCommand(String deviceId, String payload) {
        return sendCommand(deviceId, new CommandPayload(payload, config.payloadDataType()));
    }

    /** Asks for the state of command {@code commandId} of {@code deviceId}. */
    public CommandInfo queryCommand(String deviceId, String commandId) {
        return ApiResponses.command(QUERY_COMMAND, call(QUERY_COMMAND, CommandRequests.query(config.productId(), deviceId, commandId)));
    }

    /**
     * Signs and performs {@code request} (any CTWing API built as an {@link ApiRequest}); the body of a 2xx answer, or a
     * {@link CtwingApiException} naming {@code api}.
     */
    public byte[] call(String api, ApiRequest request) {
        long timestamp = ClockOffset.correctedNow(clock.getAsLong(), offsetMillis);
        Map<String, String> headers = request.signedHeaders(config.appKey(), config.appSecret(), config.masterKey(), timestamp);
        HttpResponse<byte[]> response = exchange(api, request, headers);
        requireSuccess(api, response);
        return response.body();
    }

    private HttpResponse<byte[]> exchange(String api, ApiRequest request, Map<String, String> headers) {
        URI uri = request.uri(config.apiBaseUrl());
        byte[] body = request.body();
        HttpRequest.BodyPublisher publisher =
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout).method(request.method(), publisher);
        headers.forEach(builder::header);
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(builder.build(), info -> new BoundedBody(maxResponseBytes));
        try {
            return future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new CtwingApiException(CtwingApiException.Kind.TIMEOUT,
                    api + ": no complete answer from " + where(uri) + " within " + requestTimeout.toMillis() + " ms", 0, null, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new CtwingApiException(CtwingApiException.Kind.INTERRUPTED, api + ": interrupted", 0, null, e);
        } catch (ExecutionException e) {
            throw failure(api, uri, e.getCause() == null ? e : e.getCause());
        }
    }

    private CtwingApiException failure(String api, URI uri, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && !(root instanceof BoundedBody.TooLarge) && !(root instanceof ConnectException)
                && !(root instanceof HttpTimeoutException)) {
            root = root.getCause();
        }
        if (root instanceof BoundedBody.TooLarge) {
            return new CtwingApiException(CtwingApiException.Kind.RESPONSE_TOO_LARGE,
                    api + ": answer from " + where(uri) + " exceeds " + maxResponseBytes + " bytes", 0, null, cause);
        }
        if (root instanceof HttpConnectTimeoutException) {
            return new CtwingApiException(CtwingApiException.Kind.CONNECT_FAILED,
                    api + ": could not connect to " + where(uri) + " in time", 0, null, cause);
        }
        if (root instanceof HttpTimeoutException) {
            return new CtwingApiException(CtwingApiException.Kind.TIMEOUT,
                    api + ": no answer from " + where(uri) + " within " + requestTimeout.toMillis() + " ms", 0, null, cause);
        }
        if (root instanceof ConnectException) {
            return new CtwingApiException(CtwingApiException.Kind.CONNECT_FAILED,
                    api + ": could not connect to " + where(uri) + " (connection refused or unreachable)", 0, null, cause);
        }
        if (root instanceof IOException) {
            return new CtwingApiException(CtwingApiException.Kind.CONNECT_FAILED,
                    api + ": I/O failure with " + where(uri) + ": " + root.getClass().getSimpleName(), 0, null, cause);
        }
        return new CtwingApiException(CtwingApiException.Kind.BAD_RESPONSE,
                api + ": failed with " + root.getClass().getSimpleName(), 0, null, cause);
    }

    private static void requireSuccess(String api, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        Long code = null;
        String detail = "";
        try {
            JsonNode root = JSON.readTree(response.body());
            if (root != null && root.isObject() && root.path(ApiResponses.CODE).isIntegralNumber()) {
                code = root.get(ApiResponses.CODE).longValue();
                detail = ", code " + code + ", msg '" + PushFields.echo(root.path(ApiResponses.MESSAGE).asText("")) + "'";
            }
        } catch (IOException e) {
            detail = "";
        }
        throw new CtwingApiException(CtwingApiException.Kind.HTTP_STATUS, api + " answered HTTP " + status + detail, status, code, null);
    }

    private static String where(URI uri) {
        return uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
