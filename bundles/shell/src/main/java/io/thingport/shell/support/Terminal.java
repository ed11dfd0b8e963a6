package io.thingport.shell.support;

/**
 * Keeps what the {@code iot:*} commands print from driving the operator's terminal. Much of it comes from devices and
 * other peers: property values, payloads, decoded messages, topics, client ids, error messages, refused-login details,
 * the names and descriptions inside protocol packages and certificates. A control character in it (ESC starting an
 * ANSI sequence that clears the screen, moves the cursor or retitles the window; BEL; backspace; a carriage return
 * that overwrites the line; the 8-bit C1 codes such as U+009B, a one-character CSI) is printed visibly escaped
 * instead: <code>&#92;u001b</code>, <code>&#92;u009b</code>, {@code \n}, ... The escapes look like JSON's, so escaped
 * JSON stays JSON.
 *
 * <p>{@link #escape} is the one function; {@link Table} applies it to every cell, {@link Table#line} (the
 * {@code --no-format} rows and the {@code iot:device-log --follow} lines) to every field, and
 * {@link IotCommand#println} to every line a command prints; its variant {@link #escapeText} keeps the line breaks of
 * a document ({@link IotCommand#printText}) and of a refusal's message. A backslash is left as it is, so escaping
 * twice changes nothing.
 */
public final class Terminal {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Terminal() {
    }

    /**
     * {@code value} as text with every control character escaped: C0 (U+0000–U+001F, line breaks and tabs too, which
     * would break a table's rows and columns), DEL (U+007F) and C1 (U+0080–U+009F). {@code null} is the empty string.
     */
    public static String escape(Object value) {
        return escape(value, false);
    }

    /**
     * Multi-line text (a document, pretty-printed JSON) with every control character escaped but its line breaks
     * ({@code \n}) kept.
     */
    public static String escapeText(String text) {
        return escape(text, true);
    }

    private static String escape(Object value, boolean keepLineBreaks) {
        String text = value == null ? "" : value.toString();
        int i = 0;
        while (i < text.length() && !isControl(text.charAt(i), keepLineBreaks)) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c, keepLineBreaks)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean isControl(char c, boolean keepLineBreaks) {
        return (c < 0x20 && !(keepLineBreaks && c == '\n')) || (c >= 0x7f && c <= 0x9f);
    }
}
