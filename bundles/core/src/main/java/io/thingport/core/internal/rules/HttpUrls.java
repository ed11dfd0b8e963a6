package io.thingport.core.internal.rules;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A value put into a URL template: percent-encoded, so a device's data cannot change the URL's host, path or query shape. */
final class HttpUrls {
    private HttpUrls() {
    }

    static String encode(Object value) {
        return URLEncoder.encode(ActionPlan.text(value), StandardCharsets.UTF_8).replace("+", "%20");
    }
}
