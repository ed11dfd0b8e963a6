package io.thingport.bridge.onenet;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends {@link ApiRequest}s with {@link HttpClient}: a timeout for the answer, a bound on the answer's size, and every
 * failure as a {@link ThingportException} with a clear message (never the token). A OneNET {@code code != 0} is not an
 * exception: it is an {@link ApiResult} whose {@link ApiResult#success()} is false.
 */
public final class StudioApiSender {
    /** The default bound on an answer's body. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

    private final HttpClient client;
    private final Duration timeout;
    private final int maxResponseBytes;

    /**
     * @param client the client (its connect timeout applies)
     * @param timeout how long to wait for the answer's headers
     * @param maxResponseBytes the largest answer body read
     */
    public StudioApiSender(HttpClient client, Duration timeout, int maxResponseBytes) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive");
        }
        this.maxResponseBytes = maxResponseBytes;
    }

    /** A sender with its own client: {@code connectTimeout} to connect, {@code timeout} for the answer. */
    public static StudioApiSender create(Duration connectTimeout, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        return new StudioApiSender(client, timeout, DEFAULT_MAX_RESPONSE_BYTES);
    }

    /**
     * Performs the call.
     *
     * @throws ThingportException {@code TIMEOUT} when there is no answer in time, {@code UNAVAILABLE} when the API
     *     cannot be reached, {@code TOO_LARGE} when the answer is too long, {@code MALFORMED} when a 2xx answer is not
     *     OneNET's JSON
     */
    public ApiResult send(ApiRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(timeout)
                .method(request.method(), HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
        request.headers().forEach(builder::header);
        String what = request.method() + " " + request.uri().getPath() + " at " + request.uri().getHost();
        try {
            HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(maxResponseBytes + 1);
            }
            if (body.length > maxResponseBytes) {
                throw new ThingportException(ErrorCode.TOO_LARGE, "OneNET API answer to " + what + " is larger than " + maxResponseBytes
                        + " bytes");
            }
            return ApiResult.parse(response.statusCode(), new String(body, StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ThingportException(ErrorCode.TIMEOUT, "OneNET API did not answer " + what + " within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw new ThingportException(ErrorCode.UNAVAILABLE, "OneNET API cannot be reached for " + what + " (connection failed)");
        } catch (IOException e) {
            throw new ThingportException(ErrorCode.UNAVAILABLE, "OneNET API call " + what + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThingportException(ErrorCode.UNAVAILABLE, "OneNET API call " + what + " was interrupted");
        }
    }
}
