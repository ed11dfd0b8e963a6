package io.thingport.bridge.support;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request of a cloud platform, as the {@link PushServer} received it in full.
 *
 * @param method  {@code GET}, {@code POST}, ...
 * @param path    the percent-decoded path without the query
 * @param query   the query parameters, percent-decoded ({@code +} kept as it was sent: signatures may contain it); the
 *                first value of a repeated one
 * @param headers the headers, names in lower case; the first value of a repeated one
 * @param body    the body (at most the server's {@code maxBody} bytes)
 */
public record PushRequest(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body,
                          InetSocketAddress remoteAddress) {
    public PushRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
