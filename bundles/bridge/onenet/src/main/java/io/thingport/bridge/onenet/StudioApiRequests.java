package io.thingport.bridge.onenet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thingport.api.ThingportException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds OneNET Studio API requests for downlinks (set device property, invoke service). Paths and body field names
 * come from {@link OneNetUnverified}. Each request carries a fresh product-level token ({@code res=products/{pid}})
 * that expires {@code tokenLifetime} after the given {@code now}.
 */
public final class StudioApiRequests {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_NAME_CHARS = 128;

    private final URI baseUrl;
    private final String productId;
    private final String accessKey;
    private final Duration tokenLifetime;
    private final SignMethod method;

    public StudioApiRequests(URI baseUrl, String productId, String accessKey, Duration tokenLifetime, SignMethod method) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.productId = Objects.requireNonNull(productId, "productId");
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.tokenLifetime = Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        this.method = Objects.requireNonNull(method, "method");
    }

    /**
     * The requests of a configured Studio bridge (SHA-256 tokens).
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} when the configuration has no productId or accessKey
     */
    public static StudioApiRequests of(OneNetConfig config) {
        if (config.productId().isEmpty() || config.accessKey().isEmpty()) {
            throw ThingportException.invalidArgument("OneNET Studio downlinks need 'productId' and 'accessKey'");
        }
        return new StudioApiRequests(config.apiBaseUrl(), config.productId().get(), config.accessKey().get(), config.tokenLifetime(),
                SignMethod.SHA256);
    }

    /** {@code POST /thingmodel/set-device-property} with {@code {"product_id","device_name","params"}}. */
    public ApiRequest setDeviceProperty(String deviceName, Map<String, ?> params, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(OneNetUnverified.FIELD_PRODUCT_ID, productId);
        body.put(OneNetUnverified.FIELD_DEVICE_NAME, name("deviceName", deviceName));
        body.put(OneNetUnverified.FIELD_PARAMS, params(params));
        return post(OneNetUnverified.SET_PROPERTY_PATH, body, now);
    }

    /** {@code POST /thingmodel/call-service} with {@code {"product_id","device_name","identifier","params"}}. */
    public ApiRequest callService(String deviceName, String identifier, Map<String, ?> params, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(OneNetUnverified.FIELD_PRODUCT_ID, productId);
        body.put(OneNetUnverified.FIELD_DEVICE_NAME, name("deviceName", deviceName));
        body.put(OneNetUnverified.FIELD_IDENTIFIER, name("identifier", identifier));
        body.put(OneNetUnverified.FIELD_PARAMS, params(params));
        return post(OneNetUnverified.CALL_SERVICE_PATH, body, now);
    }

    /** The token a request made at {@code now} carries. */
    public String token(Instant now) {
        return StudioToken.create(accessKey, OneNetUnverified.PRODUCT_RESOURCE_PREFIX + productId,
                now.getEpochSecond() + tokenLifetime.toSeconds(), method);
    }

    private ApiRequest post(String path, Map<String, Object> body, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(OneNetUnverified.AUTHORIZATION_HEADER, token(now));
        headers.put("Content-Type", "application/json; charset=UTF-8");
        headers.put("Accept", "application/json");
        try {
            return new ApiRequest("POST", resolve(path), headers, MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw ThingportException.invalidArgument("params cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private URI resolve(String path) {
        String base = baseUrl.toString();
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
    }

    private static String name(String what, String value) {
        if (value == null || value.isBlank() || value.length() > MAX_NAME_CHARS) {
            throw ThingportException.invalidArgument("'" + what + "' must be 1 to " + MAX_NAME_CHARS + " characters");
        }
        return value;
    }

    private static Map<String, ?> params(Map<String, ?> params) {
        if (params == null) {
            throw ThingportException.invalidArgument("'params' is missing");
        }
        return params;
    }
}
