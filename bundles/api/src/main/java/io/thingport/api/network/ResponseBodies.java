package io.thingport.api.network;

import io.thingport.api.protocol.EncodedMessage;
import java.util.List;

/**
 * The JSON bodies of the request/response transports (HTTP, CoAP): the downlinks a response carries (and, answering a
 * login, the session token), and the error of a refused request. Part of the device-side contract documented in the
 * README.
 */
public final class ResponseBodies {
    private ResponseBodies() {
    }

    /** {@code {"downlinks":[{"topic":"...","payload":"<UTF-8 text>"}, ...]}} */
    public static String downlinks(List<EncodedMessage> messages) {
        return downlinks(null, messages);
    }

    /**
     * The answer to a request: {@code {"token":"<session token>","downlinks":[...]}} for a login, which opened a
     * session ({@link RequestSessions.Lease#token()}), else {@code {"downlinks":[...]}} as {@link #downlinks(List)}.
     *
     * @param token the new session's token, or {@code null} for a request that presented one
     */
    public static String downlinks(String token, List<EncodedMessage> messages) {
        StringBuilder out = new StringBuilder(96 + messages.size() * 64).append('{');
        if (token != null) {
            out.append("\"token\":");
            string(out, token);
            out.append(',');
        }
        out.append("\"downlinks\":[");
        for (int i = 0; i < messages.size(); i++) {
            EncodedMessage m = messages.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"topic\":");
            string(out, m.topic());
            out.append(",\"payload\":");
            string(out, m.payloadAsText());
            out.append('}');
        }
        return out.append("]}").toString();
    }

    /** {@code {"code":"...","message":"..."}} */
    public static String error(String code, String message) {
        StringBuilder out = new StringBuilder(64).append("{\"code\":");
        string(out, code);
        out.append(",\"message\":");
        string(out, message == null ? "" : message);
        return out.append('}').toString();
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
