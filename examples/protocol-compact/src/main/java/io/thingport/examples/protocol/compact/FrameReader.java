package io.thingport.examples.protocol.compact;

import io.thingport.api.ErrorCode;
import io.thingport.api.protocol.CodecException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one frame front to back (big-endian). Every failure is a {@code MALFORMED} {@link CodecException} naming the
 * byte offset and what was expected there, and carrying the message id once it is known.
 */
final class FrameReader {
    private final byte[] frame;
    private int offset;
    private String messageId;

    FrameReader(byte[] frame) {
        this.frame = frame;
    }

    int offset() {
        return offset;
    }

    int remaining() {
        return frame.length - offset;
    }

    /** The id that later failures carry (the REPORT/EVENT sequence number, the WRITE_REPLY message id). */
    void messageId(String id) {
        this.messageId = id;
    }

    String messageId() {
        return messageId;
    }

    int u8(String what) {
        need(1, what);
        return frame[offset++] & 0xFF;
    }

    int u16(String what) {
        need(2, what);
        int v = ((frame[offset] & 0xFF) << 8) | (frame[offset + 1] & 0xFF);
        offset += 2;
        return v;
    }

    long u32(String what) {
        return i32(what) & 0xFFFF_FFFFL;
    }

    int i32(String what) {
        need(4, what);
        int v = ByteBuffer.wrap(frame, offset, 4).getInt();
        offset += 4;
        return v;
    }

    long i64(String what) {
        need(8, what);
        long v = ByteBuffer.wrap(frame, offset, 8).getLong();
        offset += 8;
        return v;
    }

    float f32(String what) {
        return Float.intBitsToFloat(i32(what));
    }

    double f64(String what) {
        return Double.longBitsToDouble(i64(what));
    }

    byte[] bytes(int n, String what) {
        need(n, what);
        byte[] b = Arrays.copyOfRange(frame, offset, offset + n);
        offset += n;
        return b;
    }

    /** {@code n} bytes of strict UTF-8 (an invalid sequence is malformed, not replaced). */
    String utf8(int n, String what) {
        int at = offset;
        need(n, what);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(frame, offset, n))
                    .toString();
            offset += n;
            return s;
        } catch (CharacterCodingException e) {
            throw malformed(at, "expected " + what + " as " + n + " bytes of UTF-8, found invalid UTF-8");
        }
    }

    /** A {@code u8} length (at least 1) followed by that many bytes of UTF-8. */
    String shortString(String what) {
        int at = offset;
        int len = u8("the length of " + what);
        if (len == 0) {
            throw malformed(at, "expected the length of " + what + " (1..255), found 0");
        }
        return utf8(len, what);
    }

    /** The frame must end here. */
    void end(String after) {
        if (offset != frame.length) {
            throw malformed(offset, "expected the end of the frame after " + after + ", found " + (frame.length - offset)
                    + " more byte(s)");
        }
    }

    CodecException malformed(int at, String problem) {
        return new CodecException(ErrorCode.MALFORMED, "byte offset " + at + ": " + problem, messageId);
    }

    private void need(int n, String what) {
        if (frame.length - offset < n) {
            String size = frame.length == 0 ? "the frame is empty"
                    : "the frame ends after " + frame.length + " byte" + (frame.length == 1 ? "" : "s");
            throw malformed(offset, "expected " + what + " (" + n + " byte" + (n == 1 ? "" : "s") + "), but " + size);
        }
    }
}
