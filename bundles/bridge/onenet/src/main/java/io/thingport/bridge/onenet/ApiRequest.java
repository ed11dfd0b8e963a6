package io.thingport.bridge.onenet;

import io.thingport.api.Secrets;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One OneNET Studio API call, ready to send: nothing in it is computed when it is sent.
 *
 * @param method the HTTP method
 * @param uri the full URI
 * @param headers the request headers (unmodifiable, in order), including the {@code authorization} token
 * @param body the JSON body
 */
public record ApiRequest(String method, URI uri, Map<String, String> headers, String body) {
    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(body, "body");
    }

    /** The request without its token (safe for logs). */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(headers);
        shown.computeIfPresent(OneNetUnverified.AUTHORIZATION_HEADER, (name, token) -> Secrets.mask(token));
        return "ApiRequest[" + method + " " + uri + ", headers=" + shown + ", body=" + body + "]";
    }
}
