package io.thingport.core.internal.log;

/**
 * Cuts the device log's payload texts (a raw payload, a decoded message) to a number of UTF-8 bytes, never inside a
 * character; a {@code base64:} payload keeps whole 4-character groups, so that what is kept still decodes.
 */
final class PayloadCap {
    private static final String BASE64 = "base64:";

    /** A text as stored and whether it was cut. */
    record Cut(String text, boolean truncated) {
    }

    private PayloadCap() {
    }

    static Cut cut(String text, int maxBytes) {
        if (text.length() <= maxBytes / 3) {
            return new Cut(text, false); // at most 3 UTF-8 bytes per UTF-16 unit: it fits without counting
        }
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            end += Character.charCount(cp);
        }
        if (end == text.length()) {
            return new Cut(text, false);
        }
        if (text.startsWith(BASE64) && end > BASE64.length()) {
            end = BASE64.length() + (end - BASE64.length()) / 4 * 4;
        }
        return new Cut(text.substring(0, end), true);
    }
}
