package io.thingport.shell.device;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How iot:device-log shows a raw payload. The device log keeps text as it is and binary as {@code base64:...}
 * ({@link io.thingport.api.device.DeviceLogEntry#raw()}); {@code --hex} shows the bytes of either as hex pairs.
 */
final class RawPayloads {
    static final String BASE64 = "base64:";

    private RawPayloads() {
    }

    /**
     * The payload as hex pairs ({@code 7b 22 61 ...}): the bytes of a {@code base64:} payload, else the UTF-8 bytes of
     * the text; a base64 payload the log cut in the middle shows the bytes of its whole groups.
     */
    static String hex(String raw) {
        if (raw.isEmpty()) {
            return "";
        }
        byte[] bytes;
        if (raw.startsWith(BASE64)) {
            String b64 = raw.substring(BASE64.length());
            try {
                bytes = Base64.getDecoder().decode(b64.substring(0, b64.length() - b64.length() % 4));
            } catch (IllegalArgumentException e) {
                bytes = raw.getBytes(StandardCharsets.UTF_8); // not base64 after all: show the text's bytes
            }
        } else {
            bytes = raw.getBytes(StandardCharsets.UTF_8);
        }
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /** The payload as {@code --hex} asks: hex, or as stored. */
    static String show(String raw, boolean hex) {
        return hex ? hex(raw) : raw;
    }
}
