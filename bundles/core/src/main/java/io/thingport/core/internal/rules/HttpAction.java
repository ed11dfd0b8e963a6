package io.thingport.core.internal.rules;

import io.thingport.core.internal.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calls a web service per row: {@code url} and {@code header.<Name>} templates, {@code method}, {@code body} (a template
 * whose placeholders are JSON values, so that a device's text cannot add fields; default the row as JSON),
 * {@code timeoutMs}. With {@code datasource} (type http) every request is signed: header
 * {@code X-Thingport-Timestamp} (epoch ms) and {@code X-Thingport-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}.
 * A status other than 2xx fails the attempt.
 */
public record HttpAction(String label, String method, Template url, Map<String, Template> headers, Template body, long timeoutMs,
                         DataSourceSpec signing, RetryPolicy retry, int buffer) implements ActionPlan {
    static HttpAction of(ActionOptions o, ActionPlan.Sources sources) {
        String method = o.oneOf("method", "POST", List.of("POST", "PUT", "PATCH", "GET", "DELETE"));
        Template url = o.template("url", true);
        String lower = url.text().toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("http://") || lower.startsWith("https://"))) {
            throw o.invalid("option url must start with http:// or https://");
        }
        String rest = url.text().substring(url.text().indexOf("://") + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        if (rest.substring(0, end).contains("${") || end == 0) {
            throw o.invalid("option url must name its host and port literally (a template may fill the path and query only)");
        }
        Map<String, Template> headers = o.templates("header.");
        for (String name : headers.keySet()) {
            if (!name.matches("[A-Za-z0-9-]{1,64}") || name.toLowerCase(Locale.ROOT).startsWith("x-thingport-")) {
                throw o.invalid("header name '" + name + "' must be letters, digits and - (X-Thingport-* are the platform's)");
            }
        }
        Template body = o.template("body", false);
        long timeout = o.number("timeoutMs", 5_000, 100, 60_000);
        String ds = o.optional("datasource");
        return new HttpAction(o.label(), method, url, headers, body, timeout, ds == null ? null : sources.apply(ds), o.retry(), o.buffer());
    }

    @Override
    public long sendTimeoutMs() {
        return timeoutMs + 5_000;
    }

    @Override
    public String dataSource() {
        return signing == null ? null : signing.name();
    }

    /** The row as JSON, or the body template with each placeholder as a JSON value (a string quoted and escaped). */
    String bodyOf(Map<String, Object> row) {
        return body == null ? Json.write(row) : body.render(row, Json::write);
    }

    @Override
    public String describe(Map<String, Object> row) {
        return method + " " + url.render(row, HttpUrls::encode) + (signing == null ? "" : " (signed)") + " " + bodyOf(row);
    }
}
