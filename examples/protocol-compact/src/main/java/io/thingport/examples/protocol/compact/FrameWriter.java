package io.thingport.examples.protocol.compact;

import java.io.ByteArrayOutputStream;

/** Builds one frame (big-endian). Callers check lengths before writing them. */
final class FrameWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    FrameWriter u8(int v) {
        out.write(v);
        return this;
    }

    FrameWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    FrameWriter i32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    FrameWriter i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    FrameWriter f32(float v) {
        return i32(Float.floatToIntBits(v));
    }

    FrameWriter f64(double v) {
        return i64(Double.doubleToLongBits(v));
    }

    FrameWriter bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
