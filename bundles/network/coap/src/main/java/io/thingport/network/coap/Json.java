package io.thingport.network.coap;

import io.thingport.api.protocol.EncodedMessage;
import java.util.List;

/** The JSON bodies of the CoAP server's responses. */
final class Json {
    private Json() {
    }

    /** {@code {"downlinks":[{"topic":"...","payload":"<UTF-8 text>"}, ...]}}. */
    static String downlinks(List<EncodedMessage> messages) {
        StringBuilder out = new StringBuilder("{\"downlinks\":[");
        boolean first = true;
        for (EncodedMessage m : messages) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append("{\"topic\":");
            quote(out, m.topic());
            out.append(",\"payload\":");
            quote(out, m.payloadAsText());
            out.append('}');
        }
        return out.append("]}").toString();
    }

    /** {@code {"code":"<code>","message":"<text>"}}, as the HTTP server answers errors. */
    static String error(String code, String message) {
        StringBuilder out = new StringBuilder("{\"code\":");
        quote(out, code);
        out.append(",\"message\":");
        quote(out, message == null ? "" : message);
        return out.append('}').toString();
    }

    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
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
