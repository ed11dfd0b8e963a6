package io.thingport.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.option.StringOptionDefinition;
import org.eclipse.californium.elements.AddressEndpointContext;

/**
 * Requests of the official protocol on a {@code coap-server} component: the topic is the URI path; a login carries the
 * credentials as the string options 2100 (client id), 2104 (user name) and 2108 (password), and its answer the
 * session token ({@code {"token":"...","downlinks":[...]}}) that every later request carries as option 2112. The
 * session lives while the device sends a request at least every {@code idleTimeout} (120 s), up to the component's
 * {@code sessionLifetime} (3600 s); a login sent twice is refused (its timestamp must be newer).
 */
final class CoapRequests {
    static final StringOptionDefinition CLIENT_ID = new StringOptionDefinition(2100, "Thingport-Client-Id", true, 0, 1024);
    static final StringOptionDefinition USERNAME = new StringOptionDefinition(2104, "Thingport-Username", true, 0, 1024);
    static final StringOptionDefinition PASSWORD = new StringOptionDefinition(2108, "Thingport-Password", true, 0, 1024);
    static final StringOptionDefinition SESSION_TOKEN = new StringOptionDefinition(2112, "Thingport-Session-Token", true, 0, 255);
    /** The session token in a login's answer. */
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    /** One {@code {"topic":"...","payload":"..."}} object of a response body (strings unescaped). */
    private static final Pattern DOWNLINK = Pattern.compile(
            "\\{\\s*\"topic\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,\\s*\"payload\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*}");
    /** The body of a response without downlinks (the usual case: parsing is skipped). */
    static final String NO_DOWNLINKS = "{\"downlinks\":[]}";

    private CoapRequests() {
    }

    /** A downlink carried by a response: topic and payload text. */
    record Downlink(String topic, String payload) {
    }

    /**
     * The downlinks of a 2.04 / 2.05 body {@code {"downlinks":[{"topic":"...","payload":"<text>"}, ...]}}, in order.
     * A rejected report is answered 2.04 too, with an {@code /{product}/{device}/error} downlink in the body.
     */
    static List<Downlink> downlinks(String body) {
        List<Downlink> out = new ArrayList<>();
        if (body == null || body.equals(NO_DOWNLINKS)) {
            return out;
        }
        Matcher m = DOWNLINK.matcher(body);
        while (m.find()) {
            out.add(new Downlink(unescape(m.group(1)), unescape(m.group(2))));
        }
        return out;
    }

    /** Undoes JSON string escapes ({@code \" \\ \/ \b \f \n \r \t \\uXXXX}). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 < s.length()) {
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else {
                        out.append("\\u");
                    }
                }
                default -> out.append(e); // \" \\ \/
            }
        }
        return out.toString();
    }

    /** The session token of a login's answer, or {@code null} when it has none. */
    static String token(String body) {
        Matcher m = body == null ? null : TOKEN.matcher(body);
        return m != null && m.find() ? m.group(1) : null;
    }

    /** A device's signed credentials, for one login (a second one with the same timestamp is refused). */
    record Credentials(String clientId, String username, String password) {
        static Credentials sign(Device device, long timestampMs) {
            String username = Auth.username(device.id(), timestampMs);
            return new Credentials(device.id(), username, Auth.password(device.secret(), username));
        }
    }

    /** Confirmable {@code POST coap://server/<topic>} with a JSON payload and the session's token: one report. */
    static Request report(InetSocketAddress server, String topic, String token, String json) {
        Request r = withToken(base(Request.newPost(), server, topic), token);
        r.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        r.setPayload(json.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** Confirmable {@code GET coap://server/<topic>} with the session's token: polls the downlinks. */
    static Request poll(InetSocketAddress server, String topic, String token) {
        return withToken(base(Request.newGet(), server, topic), token);
    }

    /** Confirmable {@code GET coap://server/<topic>} with the credentials: the login, answered with the token. */
    static Request login(InetSocketAddress server, String topic, Credentials c) {
        Request r = base(Request.newGet(), server, topic);
        r.getOptions().addOption(CLIENT_ID.create(c.clientId()));
        r.getOptions().addOption(USERNAME.create(c.username()));
        r.getOptions().addOption(PASSWORD.create(c.password()));
        return r;
    }

    private static Request withToken(Request r, String token) {
        r.getOptions().addOption(SESSION_TOKEN.create(token));
        return r;
    }

    private static Request base(Request r, InetSocketAddress server, String topic) {
        r.setType(CoAP.Type.CON);
        r.setDestinationContext(new AddressEndpointContext(server));
        r.getOptions().setUriPath(topic.startsWith("/") ? topic.substring(1) : topic);
        return r;
    }

    /** {@code "4.03 FORBIDDEN"}: the response code as CoAP writes it, plus its name. */
    static String describe(CoAP.ResponseCode code) {
        return code.codeClass + "." + (code.codeDetail < 10 ? "0" : "") + code.codeDetail + " " + code.name();
    }
}
