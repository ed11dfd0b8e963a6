package io.thingport.bridge.ctwing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The CTWing API signature. The string to sign is, each line ending in {@code \n}: {@code application:{appKey}},
 * {@code timestamp:{ts}}, then {@code {k}:{v}} for every query parameter and the {@code MasterKey} header sorted by key
 * (Java {@link String#compareTo} order, so {@code MasterKey} sorts before lower-case names), then the body if non-empty.
 * {@code signature = Base64(HMAC-SHA1(appSecret, string))}. Query values are signed as they are, not URL-encoded.
 */
public final class CtwingSigner {
    private CtwingSigner() {
    }

    /**
     * The string to sign.
     *
     * @param params the query parameters plus, when the API requires it, {@code MasterKey}
     * @param body the request body; {@code null} or empty for none
     */
    public static String stringToSign(String appKey, long timestamp, Map<String, String> params, byte[] body) {
        Objects.requireNonNull(appKey, "appKey");
        StringBuilder out = new StringBuilder();
        out.append("application:").append(appKey).append('\n');
        out.append("timestamp:").append(timestamp).append('\n');
        new TreeMap<>(params).forEach((key, value) -> out.append(key).append(':').append(value == null ? "" : value).append('\n'));
        if (body != null && body.length > 0) {
            out.append(new String(body, StandardCharsets.UTF_8)).append('\n');
        }
        return out.toString();
    }

    /** {@code Base64(HMAC-SHA1(appSecret, stringToSign))}, both as UTF-8. */
    public static String signature(String appSecret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is not available", e);
        }
    }
}
