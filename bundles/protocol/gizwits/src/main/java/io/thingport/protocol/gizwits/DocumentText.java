package io.thingport.protocol.gizwits;

import java.math.BigDecimal;
import java.util.HexFormat;

/**
 * How the Gizwits documents spell the layout: sizes, byte ranges, bit ranges, masks, raw bytes in hex and the numbers
 * of the thing model. Format-neutral; escaping for markdown or C stays with the generator of that format.
 */
final class DocumentText {
    /** Frame bytes as upper-case hex pairs separated by spaces, e.g. {@code 04 25 01}. */
    static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    private DocumentText() {
    }

    static String width(DataPoint p) {
        if (p.isBits()) {
            return p.bits() + (p.bits() == 1 ? " bit" : " bits");
        }
        return p.length() + (p.length() == 1 ? " byte" : " bytes");
    }

    static String plain(BigDecimal d) {
        return d == null ? "" : d.stripTrailingZeros().toPlainString();
    }

    static String paren(BigDecimal d) {
        String s = plain(d);
        return d.signum() < 0 ? "(" + s + ")" : s;
    }

    static String bytes(int n) {
        return n + (n == 1 ? " byte" : " bytes");
    }

    static String range(int start, int len) {
        return len <= 1 ? Integer.toString(start) : start + "-" + (start + len - 1);
    }

    /** The frame byte(s) that hold bits [offset, offset + width) of the area at start, len bytes long. */
    static String bitBytes(int start, int len, int offset, int width) {
        int first = Bits.byteOf(start, len, offset + width - 1);
        int last = Bits.byteOf(start, len, offset);
        return first == last ? Integer.toString(first) : first + "-" + last;
    }

    static String bitRange(int offset, int width) {
        return width == 1 ? "bit " + offset : "bits " + offset + ".." + (offset + width - 1);
    }

    /** The mask of bits [offset, offset + width) over the whole area, in hex of 2 * len digits. */
    static String mask(int len, int offset, int width) {
        byte[] m = new byte[len];
        Bits.put(m, 0, len, offset, width, -1L);
        return "0x" + HexFormat.of().withUpperCase().formatHex(m);
    }
}
