package io.thingport.bridge.onenet;

import io.thingport.bridge.support.PushRejected;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * OneNET's URL verification ({@code GET {url}?msg=M&nonce=N&signature=S}, sent when a push configuration is saved):
 * the answer is HTTP 200 with body exactly {@code M} when {@code S == Base64(MD5(token + N + M))}, else a 4xx.
 * The same check serves the legacy push and OneNET Studio's push.
 */
public final class UrlVerification {
    /** The longest query value accepted (OneNET sends short random strings). */
    static final int MAX_PARAM_CHARS = 1024;
    /** The longest raw query accepted by {@link #queryParams(String)}. */
    static final int MAX_QUERY_CHARS = 8 * 1024;

    private UrlVerification() {
    }

    /**
     * The body to answer a URL verification with.
     *
     * @param token the push token configured on OneNET
     * @param query the decoded query parameters ({@code msg}, {@code nonce}, {@code signature}); a ' ' in the signature
     *     is read as '+'
     * @return {@code msg}, to be sent back as the whole response body with status 200
     * @throws PushRejected {@code MALFORMED} naming a missing parameter, {@code TOO_LARGE} naming a too long one,
     *     {@code SIGNATURE} when the signature does not match
     */
    public static String answer(String token, Map<String, String> query) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(query, "query");
        String msg = param(query, "msg");
        String nonce = param(query, "nonce");
        String signature = OneNetSignature.fromQuery(param(query, "signature"));
        if (!OneNetSignature.matches(token, nonce, msg, signature)) {
            throw new PushRejected(PushRejected.Reason.SIGNATURE, "URL verification: 'signature' does not match the token, nonce and msg");
        }
        return msg;
    }

    /**
     * The query parameters of a raw (still encoded) query string, decoded as an HTTP server would ('+' becomes ' ',
     * which {@link #answer} turns back for the signature).
     *
     * @throws PushRejected {@code MALFORMED} for a repeated parameter or bad percent-encoding, {@code TOO_LARGE} for an
     *     overlong query
     */
    public static Map<String, String> queryParams(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        if (rawQuery.length() > MAX_QUERY_CHARS) {
            throw new PushRejected(PushRejected.Reason.TOO_LARGE,
                    "URL verification: the query is longer than " + MAX_QUERY_CHARS + " characters");
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (params.put(name, value) != null) {
                throw PushRejected.malformed("URL verification: query parameter '" + name + "' is repeated");
            }
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw PushRejected.malformed("URL verification: the query has bad percent-encoding");
        }
    }

    private static String param(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            throw PushRejected.malformed("URL verification: query parameter '" + name + "' is missing");
        }
        if (value.length() > MAX_PARAM_CHARS) {
            throw new PushRejected(PushRejected.Reason.TOO_LARGE,
                    "URL verification: query parameter '" + name + "' is longer than " + MAX_PARAM_CHARS + " characters");
        }
        return value;
    }
}
