package io.thingport.network.coap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** CoAP requests as raw datagrams (RFC 7252 section 3), for tests that talk to the server without a CoAP library. */
final class RawCoap {
    static final int CON = 0;
    static final int NON = 1;
    static final int ACK = 2;
    static final int RST = 3;
    static final int GET = 0x01;
    static final int POST = 0x02;
    static final int URI_PATH = 11;

    private RawCoap() {
    }

    /** Option number → value pairs: {@code int, String|byte[]} alternating. */
    static TreeMap<Integer, byte[]> options(Object... pairs) {
        TreeMap<Integer, byte[]> options = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            options.put((Integer) pairs[i], v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) v);
        }
        return options;
    }

    /** A request: its type, code, message id and token, the options (one value per number) and the payload. */
    static byte[] request(int type, int code, int messageId, byte[] token, TreeMap<Integer, byte[]> options, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x40 | type << 4 | token.length);
        out.write(code);
        out.write(messageId >> 8 & 0xFF);
        out.write(messageId & 0xFF);
        out.writeBytes(token);
        int previous = 0;
        for (Map.Entry<Integer, byte[]> option : options.entrySet()) {
            int delta = option.getKey() - previous;
            previous = option.getKey();
            int length = option.getValue().length;
            out.write(nibble(delta) << 4 | nibble(length));
            extended(out, delta);
            extended(out, length);
            out.writeBytes(option.getValue());
        }
        if (payload.length > 0) {
            out.write(0xFF);
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    private static int nibble(int value) {
        return value < 13 ? value : value < 269 ? 13 : 14;
    }

    private static void extended(ByteArrayOutputStream out, int value) {
        if (value >= 269) {
            out.write((value - 269) >> 8);
            out.write((value - 269) & 0xFF);
        } else if (value >= 13) {
            out.write(value - 13);
        }
    }
}
