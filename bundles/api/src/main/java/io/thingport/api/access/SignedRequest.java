package io.thingport.api.access;

/**
 * What an application's request carried, for {@link ApplicationService#verify}.
 *
 * @param applicationId the {@code X-Thingport-App} header
 * @param method        the HTTP method, upper case
 * @param path          the request path as sent (still percent-encoded), e.g. {@code /api/v1/devices/d1}
 * @param query         the query string as sent (without {@code ?}), or empty
 * @param bodySha256    the SHA-256 of the body's bytes, lower-case hex (of no bytes when there is no body)
 * @param timestamp     the {@code X-Thingport-Timestamp} header: milliseconds since the epoch
 * @param nonce         the {@code X-Thingport-Nonce} header: 16 to 64 characters of {@code [A-Za-z0-9_-]}
 * @param signature     the {@code X-Thingport-Signature} header: lower-case hex HMAC-SHA256
 * @param source        the peer's address
 */
public record SignedRequest(String applicationId, String method, String path, String query, String bodySha256,
        String timestamp, String nonce, String signature, String source) {
}
