package io.thingport.api.access;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How an application signs a request, the same function for the platform and its clients: HMAC-SHA256, keyed with
 * the application's secret (its UTF-8 bytes), over six lines joined by {@code \n}:
 * <pre>
 * METHOD                       upper case
 * path                         as sent, percent-encoding kept, e.g. /api/v1/devices/d1/properties
 * sorted query                 name=value pairs decoded, re-encoded (RFC 3986), sorted by name then value, joined by &amp;
 * SHA-256 of the body          lower-case hex; of no bytes when there is no body
 * timestamp                    milliseconds since the epoch, as sent in X-Thingport-Timestamp
 * nonce                        as sent in X-Thingport-Nonce
 * </pre>
 * and sent as lower-case hex in {@code X-Thingport-Signature}, beside {@code X-Thingport-App},
 * {@code X-Thingport-Timestamp} and {@code X-Thingport-Nonce}. Unlike a signature over the query alone, it covers
 * the method, the path and the body, and the nonce makes each signed request usable once.
 */
public final class RequestSignature {
    public static final String HEADER_APP = "X-Thingport-App";
    public static final String HEADER_TIMESTAMP = "X-Thingport-Timestamp";
    public static final String HEADER_NONCE = "X-Thingport-Nonce";
    public static final String HEADER_SIGNATURE = "X-Thingport-Signature";
    /** What a nonce may be made of, and how long. */
    public static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private static final HexFormat HEX = HexFormat.of();

    private RequestSignature() {
    }

    /** The text that is signed. */
    public static String canonical(String method, String path, String query, String bodySha256, String timestamp,
            String nonce) {
        return String.join("\n", method.toUpperCase(Locale.ROOT), path, sortedQuery(query), bodySha256,
                timestamp, nonce);
    }

    /** The signature of a request: lower-case hex HMAC-SHA256 of {@link #canonical} keyed with the secret. */
    public static String sign(String secret, String method, String path, String query, byte[] body, String timestamp,
            String nonce) {
        return hmac(secret, canonical(method, path, query, sha256(body), timestamp, nonce));
    }

    /** Lower-case hex HMAC-SHA256 of a text. */
    public static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HEX.formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Lower-case hex SHA-256 of some bytes ({@code null}: no bytes). */
    public static String sha256(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes == null ? new byte[0] : bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Whether two signatures are equal, in a time that does not depend on where they differ. */
    public static boolean matches(String expected, String actual) {
        return actual != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                actual.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A query string's pairs decoded (a {@code +} is a space, as in HTML forms: send {@code %2B} for a plus), re-encoded
     * the one RFC 3986 way, and sorted by name then value; the encoded text is ASCII, so every language sorts it alike.
     */
    public static String sortedQuery(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (String part : query.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(Map.entry(encode(decode(name)), encode(decode(value))));
        }
        pairs.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> p : pairs) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(p.getKey()).append('=').append(p.getValue());
        }
        return out.toString();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape is signed as sent: the platform sees the same text
        }
    }

    /** RFC 3986: unreserved characters as they are, every other byte of the UTF-8 form as %XX. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
