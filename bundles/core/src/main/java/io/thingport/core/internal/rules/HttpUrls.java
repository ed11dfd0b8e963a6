package io.thingport.core.internal.rules;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A value put into a URL template: percent-encoded, so a device's data cannot change the URL's host, path or query shape. */
final class HttpUrls {
    private HttpUrls() {
    }

    static String encode(Object value) {
        String text = ActionPlan.text(value);
        if (text.equals(".") || text.equals("..")) {
            // URLEncoder leaves dots alone, and a server would read ../ as going up a level
            throw new RuleActionException("a URL template value is '" + text + "', which would change the path", true);
        }
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
