package io.thingport.protocol.gizwits;

import static io.thingport.protocol.gizwits.GizwitsActions.CONTROL;
import static io.thingport.protocol.gizwits.GizwitsActions.VAR_READ;
import static io.thingport.protocol.gizwits.GizwitsActions.frameName;

import io.thingport.api.ErrorCode;
import io.thingport.api.device.Product;
import io.thingport.api.protocol.CodecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The frames of Gizwits-style binary data points, laid out from a product's thing model ({@link DataPointLayout}):
 * how each frame is written and read, shared by the platform side ({@link GizwitsBinaryCodec}) and the device side
 * ({@link GizwitsDeviceCodec}). The first byte of every data area is its action:
 *
 * <ul>
 *   <li>fixed length (定长): 0x01 control (platform to device: {@code attr_flags} with one bit per writable point, then
 *       the writable bits and values), 0x02 read, 0x03 read ack and 0x04 report (device to platform: every area of the
 *       layout), 0x05 / 0x06 transparent data down / up;</li>
 *   <li>variable length (变长): 0x11 write, 0x12 read, 0x13 read ack, 0x14 report: flags with one bit per data point,
 *       then the flagged bool/enum points' bits packed in point order, then the flagged numbers and binaries in point
 *       order.</li>
 * </ul>
 *
 * <p>Raw values are {@code Long} for bits and numbers, {@code byte[]} for binaries; bit and byte access is
 * {@link Bits}. Every refusal is a {@link CodecException} naming the frame, the product and what is wrong.
 */
final class GizwitsFrames {
    private GizwitsFrames() {
    }

    /** The action byte of a frame. */
    static int action(byte[] data, String cmid) {
        if (data == null || data.length == 0) {
            throw new CodecException(ErrorCode.MALFORMED, "empty data: a Gizwits frame starts with its action byte", cmid);
        }
        return data[0] & 0xFF;
    }

    /** {@code action} followed by {@code payload} (transparent data). */
    static byte[] prefixed(int action, byte[] payload) {
        byte[] buf = new byte[payload.length + 1];
        buf[0] = (byte) action;
        System.arraycopy(payload, 0, buf, 1, payload.length);
        return buf;
    }

    /** The bytes after the action byte. */
    static byte[] afterAction(byte[] data) {
        return Arrays.copyOfRange(data, 1, data.length);
    }

    // ------------------------------------------------------------------------------------------------------ writing

    /**
     * Checks values and converts them to raw form, in point order.
     *
     * @param write only writable points may be given
     */
    static Map<DataPoint, Object> raws(DataPointLayout layout, Map<String, ?> values, Product product, boolean write,
                                       String cmid) {
        if (values.isEmpty()) {
            throw new CodecException(ErrorCode.INVALID_ARGUMENT, "at least one property is required", cmid);
        }
        Map<Integer, DataPoint> ordered = new TreeMap<>();
        Map<DataPoint, Object> raw = new HashMap<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            DataPoint p = layout.point(e.getKey()).orElseThrow(() -> new CodecException(ErrorCode.INVALID_ARGUMENT,
                    "property " + e.getKey() + ": product " + product.id() + " has no such data point", cmid));
            if (write && !p.writable()) {
                throw new CodecException(ErrorCode.INVALID_ARGUMENT, "property " + p.id() + ": the data point is read-only ("
                        + p.kind().wireName() + "); only status_writable data points can be written", cmid);
            }
            if (e.getValue() == null) {
                throw new CodecException(ErrorCode.INVALID_ARGUMENT, "property " + p.id() + ": a value is required (got null)",
                        cmid);
            }
            try {
                raw.put(p, p.type() == DataPointType.BINARY ? p.binary(e.getValue()) : (Object) p.raw(e.getValue()));
            } catch (CodecException ex) {
                throw new CodecException(ex.code(), ex.getMessage(), cmid);
            }
            ordered.put(p.index(), p);
        }
        Map<DataPoint, Object> out = new LinkedHashMap<>();
        ordered.values().forEach(p -> out.put(p, raw.get(p)));
        return out;
    }

    /** A fixed-length 0x03 read ack or 0x04 report: every area; the points not given are 0 (raw). */
    static byte[] writeFixed(int action, DataPointLayout layout, Map<DataPoint, Object> raws) {
        byte[] buf = new byte[layout.reportLength()];
        buf[0] = (byte) action;
        for (DataPointLayout.Area area : DataPointLayout.Area.values()) {
            writeArea(buf, layout, area, layout.reportOffset(area), raws);
        }
        return buf;
    }

    /** A fixed-length 0x01 control: {@code attr_flags} mark the given points, the other writable points are 0. */
    static byte[] writeControl(DataPointLayout layout, Map<DataPoint, Object> raws) {
        byte[] buf = new byte[layout.controlLength()];
        buf[0] = CONTROL;
        for (DataPoint p : raws.keySet()) {
            Bits.put(buf, 1, layout.attrFlagsLength(), p.writableIndex(), 1, 1);
        }
        writeArea(buf, layout, DataPointLayout.Area.WRITABLE_BITS, layout.controlOffset(DataPointLayout.Area.WRITABLE_BITS), raws);
        writeArea(buf, layout, DataPointLayout.Area.WRITABLE_VALUES, layout.controlOffset(DataPointLayout.Area.WRITABLE_VALUES),
                raws);
        return buf;
    }

    /** A variable-length frame: flags, packed bits and values of the given points (in point order). */
    static byte[] writeVariable(int action, DataPointLayout layout, Map<DataPoint, Object> raws) {
        int flags = layout.flagsLength();
        int bits = raws.keySet().stream().mapToInt(DataPoint::bits).sum();
        int bitBytes = Bits.bytesFor(bits);
        int values = raws.keySet().stream().mapToInt(DataPoint::length).sum();
        byte[] buf = new byte[1 + flags + bitBytes + values];
        buf[0] = (byte) action;
        int bitOffset = 0;
        int at = 1 + flags + bitBytes;
        for (Map.Entry<DataPoint, Object> e : raws.entrySet()) {
            DataPoint p = e.getKey();
            Bits.put(buf, 1, flags, p.index(), 1, 1);
            if (p.isBits()) {
                Bits.put(buf, 1 + flags, bitBytes, bitOffset, p.bits(), (Long) e.getValue());
                bitOffset += p.bits();
            } else {
                writeValue(buf, at, p, e.getValue());
                at += p.length();
            }
        }
        return buf;
    }

    /** A variable-length 0x12 read flagging {@code points}. */
    static byte[] writeVariableRead(DataPointLayout layout, List<DataPoint> points) {
        byte[] buf = new byte[1 + layout.flagsLength()];
        buf[0] = VAR_READ;
        for (DataPoint p : points) {
            Bits.put(buf, 1, layout.flagsLength(), p.index(), 1, 1);
        }
        return buf;
    }

    private static void writeArea(byte[] buf, DataPointLayout layout, DataPointLayout.Area area, int start,
                                  Map<DataPoint, Object> raws) {
        int len = layout.areaLength(area);
        for (DataPoint p : layout.area(area)) {
            Object raw = raws.get(p);
            if (raw == null) {
                continue;
            }
            if (area.isBits()) {
                Bits.put(buf, start, len, p.offset(), p.bits(), (Long) raw);
            } else {
                writeValue(buf, start + p.offset(), p, raw);
            }
        }
    }

    private static void writeValue(byte[] buf, int at, DataPoint p, Object raw) {
        if (p.type() == DataPointType.BINARY) {
            byte[] bytes = (byte[]) raw;
            System.arraycopy(bytes, 0, buf, at, bytes.length);
        } else {
            Bits.putUnsigned(buf, at, p.length(), (Long) raw);
        }
    }

    // ------------------------------------------------------------------------------------------------------ reading

    /** The values of a fixed-length 0x03 read ack or 0x04 report ({@code what} names it), by property id. */
    static Map<String, Object> readFixed(DataPointLayout layout, byte[] data, Product product, String what, String cmid) {
        if (data.length != layout.reportLength()) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " has "
                    + layout.reportLength() + " bytes, got " + data.length, cmid);
        }
        Map<DataPoint, Object> values = new TreeMap<>((a, b) -> Integer.compare(a.index(), b.index()));
        for (DataPointLayout.Area area : DataPointLayout.Area.values()) {
            readArea(data, layout, area, layout.reportOffset(area), p -> true, values, product, what, cmid);
        }
        return names(values);
    }

    /** The values of the points a fixed-length 0x01 control flags, by property id. */
    static Map<String, Object> readControl(DataPointLayout layout, byte[] data, Product product, String cmid) {
        String what = frameName(CONTROL);
        if (data.length != layout.controlLength()) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " has "
                    + layout.controlLength() + " bytes, got " + data.length, cmid);
        }
        int flagBytes = layout.attrFlagsLength();
        List<DataPoint> writable = layout.writablePoints();
        for (int bit = writable.size(); bit < flagBytes * 8; bit++) {
            if (Bits.get(data, 1, flagBytes, bit, 1) != 0) {
                throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + ": attr_flags bit "
                        + bit + " is set, but the product has only " + writable.size() + " writable data points (bits 0.."
                        + (writable.size() - 1) + ")", cmid);
            }
        }
        Set<DataPoint> flagged = new HashSet<>();
        for (DataPoint p : writable) {
            if (Bits.get(data, 1, flagBytes, p.writableIndex(), 1) != 0) {
                flagged.add(p);
            }
        }
        if (flagged.isEmpty()) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " flags no data point",
                    cmid);
        }
        Map<DataPoint, Object> values = new TreeMap<>((a, b) -> Integer.compare(a.index(), b.index()));
        readArea(data, layout, DataPointLayout.Area.WRITABLE_BITS, layout.controlOffset(DataPointLayout.Area.WRITABLE_BITS),
                flagged::contains, values, product, what, cmid);
        readArea(data, layout, DataPointLayout.Area.WRITABLE_VALUES, layout.controlOffset(DataPointLayout.Area.WRITABLE_VALUES),
                flagged::contains, values, product, what, cmid);
        return names(values);
    }

    /**
     * The values of a variable-length frame ({@code what} names it), by property id in point order.
     *
     * @param writableOnly refuse a frame that flags a point that is not writable
     */
    static Map<String, Object> readVariable(DataPointLayout layout, byte[] data, Product product, String what, String cmid,
                                            boolean writableOnly) {
        int flagBytes = layout.flagsLength();
        if (data.length < 1 + flagBytes) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " is truncated: its"
                    + " flags need " + flagBytes + " bytes after the action byte, got " + (data.length - 1), cmid);
        }
        List<DataPoint> flagged = flags(layout, data, product, what, cmid);
        if (writableOnly) {
            for (DataPoint p : flagged) {
                if (!p.writable()) {
                    throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id()
                            + " flags data point " + p.id() + " (index " + p.index() + "), which is not writable", cmid);
                }
            }
        }
        int bits = flagged.stream().mapToInt(DataPoint::bits).sum();
        int bitBytes = Bits.bytesFor(bits);
        int expected = 1 + flagBytes + bitBytes + flagged.stream().mapToInt(DataPoint::length).sum();
        if (data.length < expected) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " is truncated: its"
                    + " flags announce " + expected + " bytes, got " + data.length, cmid);
        }
        if (data.length > expected) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " has " + data.length
                    + " bytes, but its flags announce " + expected, cmid);
        }
        int start = 1 + flagBytes;
        checkPadding(data, start, bitBytes, bits, "the packed bits", product, what, cmid);
        Map<DataPoint, Object> values = new LinkedHashMap<>();
        int bitOffset = 0;
        int at = start + bitBytes;
        for (DataPoint p : flagged) {
            try {
                if (p.isBits()) {
                    values.put(p, p.value(Bits.get(data, start, bitBytes, bitOffset, p.bits())));
                    bitOffset += p.bits();
                } else {
                    values.put(p, readValue(data, at, p));
                    at += p.length();
                }
            } catch (CodecException e) {
                throw new CodecException(e.code(), "a " + what + " of product " + product.id() + ": " + e.getMessage(), cmid);
            }
        }
        return names(values);
    }

    /** The flagged points of a variable-length frame's flags (which must flag at least one point). */
    static List<DataPoint> flags(DataPointLayout layout, byte[] data, Product product, String what, String cmid) {
        int flagBytes = layout.flagsLength();
        int n = layout.pointCount();
        for (int bit = n; bit < flagBytes * 8; bit++) {
            if (Bits.get(data, 1, flagBytes, bit, 1) != 0) {
                throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + ": flag bit " + bit
                        + " is set, but the product has only " + n + " data points (bits 0.." + (n - 1) + ")", cmid);
            }
        }
        List<DataPoint> flagged = new ArrayList<>();
        for (DataPoint p : layout.points()) {
            if (Bits.get(data, 1, flagBytes, p.index(), 1) != 0) {
                flagged.add(p);
            }
        }
        if (flagged.isEmpty()) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " flags no data point",
                    cmid);
        }
        return flagged;
    }

    private static void readArea(byte[] data, DataPointLayout layout, DataPointLayout.Area area, int start,
                                 Predicate<DataPoint> wanted, Map<DataPoint, Object> out, Product product, String what,
                                 String cmid) {
        int len = layout.areaLength(area);
        if (area.isBits()) {
            checkPadding(data, start, len, layout.areaUsed(area), "the " + area.title() + " area", product, what, cmid);
        }
        for (DataPoint p : layout.area(area)) {
            if (!wanted.test(p)) {
                continue;
            }
            try {
                if (area.isBits()) {
                    out.put(p, p.value(Bits.get(data, start, len, p.offset(), p.bits())));
                } else {
                    out.put(p, readValue(data, start + p.offset(), p));
                }
            } catch (CodecException e) {
                throw new CodecException(e.code(), "a " + what + " of product " + product.id() + ": " + e.getMessage(), cmid);
            }
        }
    }

    private static Object readValue(byte[] data, int at, DataPoint p) {
        if (p.type() == DataPointType.BINARY) {
            return p.value(Arrays.copyOfRange(data, at, at + p.length()));
        }
        return p.value(Bits.getUnsigned(data, at, p.length()));
    }

    private static void checkPadding(byte[] data, int start, int len, int used, String where, Product product, String what,
                                     String cmid) {
        for (int bit = used; bit < len * 8; bit++) {
            if (Bits.get(data, start, len, bit, 1) != 0) {
                throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + ": unused bit "
                        + bit + " of " + where + " is set (the area carries " + used + " bits): the device's data points"
                        + " differ from the product's", cmid);
            }
        }
    }

    private static Map<String, Object> names(Map<DataPoint, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((p, v) -> out.put(p.id(), v));
        return out;
    }
}
