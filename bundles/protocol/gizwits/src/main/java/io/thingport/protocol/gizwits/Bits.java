package io.thingport.protocol.gizwits;

import java.util.HexFormat;

/**
 * Bit and byte access as the Gizwits layout uses it: a bit area of {@code len} bytes is one big-endian integer whose
 * bit 0 is the least significant bit of its last byte; numbers are unsigned big-endian.
 */
final class Bits {
    private Bits() {
    }

    /** The frame byte holding bit {@code bit} of the area that starts at {@code start} and is {@code len} bytes long. */
    static int byteOf(int start, int len, int bit) {
        return start + len - 1 - bit / 8;
    }

    static long get(byte[] buf, int start, int len, int bitOffset, int width) {
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            int bit = bitOffset + i;
            int b = buf[byteOf(start, len, bit)] & 0xFF;
            value = (value << 1) | ((b >> (bit % 8)) & 1);
        }
        return value;
    }

    static void put(byte[] buf, int start, int len, int bitOffset, int width, long value) {
        for (int i = 0; i < width; i++) {
            int bit = bitOffset + i;
            int index = byteOf(start, len, bit);
            int mask = 1 << (bit % 8);
            if (((value >>> i) & 1) != 0) {
                buf[index] = (byte) (buf[index] | mask);
            } else {
                buf[index] = (byte) (buf[index] & ~mask);
            }
        }
    }

    static long getUnsigned(byte[] buf, int offset, int len) {
        long value = 0;
        for (int i = 0; i < len; i++) {
            value = (value << 8) | (buf[offset + i] & 0xFF);
        }
        return value;
    }

    static void putUnsigned(byte[] buf, int offset, int len, long value) {
        for (int i = len - 1; i >= 0; i--) {
            buf[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    /** Bytes needed for {@code bits} bits. */
    static int bytesFor(int bits) {
        return (bits + 7) / 8;
    }

    /** Lower-case hex with a space between bytes, e.g. {@code 04 1d 02}. */
    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
