package io.thingport.rest.internal.auth;

/**
 * What a request carries that may prove who sent it, as the HTTP layer read it.
 *
 * @param authorization the {@code Authorization} header, or {@code null}
 * @param appId         {@code X-Thingport-App}, or {@code null}
 * @param timestamp     {@code X-Thingport-Timestamp}, or {@code null}
 * @param nonce         {@code X-Thingport-Nonce}, or {@code null}
 * @param signature     {@code X-Thingport-Signature}, or {@code null}
 * @param method        the HTTP method
 * @param path          the request path as sent
 * @param query         the query string as sent, or empty
 * @param body          the body's bytes (empty when none)
 * @param source        the peer's address
 */
public record Credentials(String authorization, String appId, String timestamp, String nonce, String signature,
        String method, String path, String query, byte[] body, String source) {
}
