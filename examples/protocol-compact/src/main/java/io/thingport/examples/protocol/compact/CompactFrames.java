package io.thingport.examples.protocol.compact;

import io.thingport.api.ErrorCode;
import io.thingport.api.protocol.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The compact protocol's wire format (see {@code protocol.md}): frame types, value tags, and typed values. Frames are
 * seen without the 2-byte length prefix, which the platform's {@code tcp-server} ({@code framing=length}) strips from
 * uplinks and prepends to downlinks.
 */
final class CompactFrames {
    static final int LOGIN = 0x01;
    static final int REPORT = 0x02;
    static final int EVENT = 0x03;
    static final int WRITE = 0x10;
    static final int WRITE_REPLY = 0x11;
    static final int LOGIN_REPLY = 0x81;

    static final int TAG_BOOL = 1;
    static final int TAG_INT32 = 2;
    static final int TAG_INT64 = 3;
    static final int TAG_FLOAT32 = 4;
    static final int TAG_FLOAT64 = 5;
    static final int TAG_STRING = 6;

    static final int LOGIN_ACCEPTED = 0;
    static final int LOGIN_BAD_CREDENTIALS = 1;
    static final int LOGIN_NOT_AUTHORIZED = 2;

    static final int HMAC_LENGTH = 32;

    private CompactFrames() {
    }

    static String hex(int b) {
        return String.format(Locale.ROOT, "0x%02X", b);
    }

    /** Reads {@code [u8 tag][value]}; {@code what} names the value in errors (e.g. {@code property temp}). */
    static Object readValue(FrameReader r, String what) {
        int at = r.offset();
        int tag = r.u8("the type tag of " + what);
        switch (tag) {
            case TAG_BOOL: {
                int valueAt = r.offset();
                int b = r.u8("the bool value of " + what);
                if (b > 1) {
                    throw r.malformed(valueAt, "expected the bool value of " + what + " (0 or 1), found " + b);
                }
                return b == 1;
            }
            case TAG_INT32:
                return r.i32("the int32 value of " + what);
            case TAG_INT64:
                return r.i64("the int64 value of " + what);
            case TAG_FLOAT32:
                return r.f32("the float32 value of " + what);
            case TAG_FLOAT64:
                return r.f64("the float64 value of " + what);
            case TAG_STRING: {
                int len = r.u16("the string length of " + what);
                return r.utf8(len, "the string value of " + what);
            }
            default:
                throw r.malformed(at, "expected the type tag of " + what + " (1 bool, 2 int32, 3 int64, 4 float32,"
                        + " 5 float64, 6 string), found " + tag);
        }
    }

    /**
     * Writes {@code [u8 tag][value]} for a Java value: Boolean → 1; Integer, Short, Byte and Long within the int range
     * → 2; other Long → 3; Float → 4; Double and any other Number → 5; String → 6.
     *
     * @throws CodecException {@code INVALID_ARGUMENT} naming {@code property} for any other value (or a string longer
     *                        than 65535 bytes)
     */
    static void writeValue(FrameWriter w, String property, Object value, String messageId) {
        if (value instanceof Boolean b) {
            w.u8(TAG_BOOL).u8(b ? 1 : 0);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            w.u8(TAG_INT32).i32(((Number) value).intValue());
        } else if (value instanceof Long l) {
            if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                w.u8(TAG_INT32).i32(l.intValue());
            } else {
                w.u8(TAG_INT64).i64(l);
            }
        } else if (value instanceof Float f) {
            w.u8(TAG_FLOAT32).f32(f);
        } else if (value instanceof Number n) {
            w.u8(TAG_FLOAT64).f64(n.doubleValue());
        } else if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 0xFFFF) {
                throw new CodecException(ErrorCode.INVALID_ARGUMENT, "property " + property + ": a string of "
                        + utf8.length + " bytes is longer than the compact protocol's 65535", messageId);
            }
            w.u8(TAG_STRING).u16(utf8.length).bytes(utf8);
        } else {
            String kind = value == null ? "null" : "a " + value.getClass().getSimpleName();
            throw new CodecException(ErrorCode.INVALID_ARGUMENT, "property " + property + ": " + kind
                    + " cannot be written in the compact protocol (bool, int, long, float, double or string only)",
                    messageId);
        }
    }

    /** {@code [u8 length][UTF-8]}, the length 1..255 bytes. */
    static void writeShortString(FrameWriter w, String value, String what, String messageId) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == 0 || utf8.length > 0xFF) {
            throw new CodecException(ErrorCode.INVALID_ARGUMENT, what + " '" + value + "' must be 1..255 bytes of UTF-8"
                    + " in the compact protocol, not " + utf8.length, messageId);
        }
        w.u8(utf8.length).bytes(utf8);
    }
}
