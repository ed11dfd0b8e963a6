package io.thingport.protocol.gizwits;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DirectMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.model.ThingModel;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.ThingModelCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.function.Predicate;

/**
 * Gizwits-style binary data points (id {@code gizwits-binary}), laid out from a product's thing model
 * ({@link DataPointLayout}). The first byte of every data area is its action:
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
 * <p>The platform side is {@link #decode} (device frames) and {@link #encode} (downlinks, by the product's data
 * format); the device side ({@link #encodeUplink}, {@link #decodeDownlink}) serves simulators, tests and the worked
 * examples of the generated documents. Thread-safe; layouts are cached per thing model.
 */
public final class GizwitsBinaryCodec implements ThingModelCodec {
    public static final String ID = "gizwits-binary";

    public static final int CONTROL = 0x01;
    public static final int READ = 0x02;
    public static final int READ_ACK = 0x03;
    public static final int REPORT = 0x04;
    public static final int TRANSPARENT_DOWN = 0x05;
    public static final int TRANSPARENT_UP = 0x06;
    public static final int VAR_WRITE = 0x11;
    public static final int VAR_READ = 0x12;
    public static final int VAR_READ_ACK = 0x13;
    public static final int VAR_REPORT = 0x14;

    private final Map<ThingModel, DataPointLayout> layouts = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(ThingModel model) {
        layout(model);
    }

    /**
     * The layout of {@code model} (cached).
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the first property that cannot be a data point
     */
    public DataPointLayout layout(ThingModel model) {
        Objects.requireNonNull(model, "model");
        DataPointLayout layout = layouts.get(model);
        if (layout == null) {
            layout = DataPointLayout.of(model);
            layouts.put(model, layout);
        }
        return layout;
    }

    /**
     * The layout of {@code product}'s thing model.
     *
     * @throws CodecException {@code UNSUPPORTED} when the thing model cannot be laid out
     */
    public DataPointLayout layout(Product product) {
        try {
            return layout(product.thingModel() == null ? ThingModel.EMPTY : product.thingModel());
        } catch (CodecException e) {
            throw e;
        } catch (ThingportException e) {
            throw new CodecException(ErrorCode.UNSUPPORTED, "the thing model of product " + product.id()
                    + " cannot be carried as Gizwits data points: " + e.getMessage());
        }
    }

    /** The name of an action for messages and documents, e.g. {@code 0x04 report}. */
    public static String actionName(int action) {
        switch (action) {
            case CONTROL:
                return "0x01 control";
            case READ:
                return "0x02 read";
            case READ_ACK:
                return "0x03 read ack";
            case REPORT:
                return "0x04 report";
            case TRANSPARENT_DOWN:
                return "0x05 transparent down";
            case TRANSPARENT_UP:
                return "0x06 transparent up";
            case VAR_WRITE:
                return "0x11 write";
            case VAR_READ:
                return "0x12 read";
            case VAR_READ_ACK:
                return "0x13 read ack";
            case VAR_REPORT:
                return "0x14 report";
            default:
                return String.format("0x%02x (unknown)", action);
        }
    }

    // ------------------------------------------------------------------------------------------------ platform side

    /**
     * Decodes a device's data area: 0x04 / 0x14 give a {@link ReportProperties}; 0x03 / 0x13 a successful
     * {@link ReadPropertiesReply} when {@code messageId} is not empty, else a {@link ReportProperties}; 0x06 a
     * {@link DirectMessage}. Both formats are accepted whatever the product's data format: the action says which.
     *
     * @throws CodecException {@code MALFORMED} naming the action, the length or the data point that is wrong;
     *                        {@code NOT_FOUND} without a product; {@code UNSUPPORTED} when the product's thing model
     *                        cannot be laid out
     */
    @Override
    public List<DeviceMessage> decode(byte[] data, Product product, String deviceId, String messageId) {
        String mid = messageId == null ? "" : messageId;
        String cmid = mid.isEmpty() ? null : mid;
        if (product == null) {
            throw new CodecException(ErrorCode.NOT_FOUND, "the product of device " + deviceId + " does not exist", cmid);
        }
        if (data == null || data.length == 0) {
            throw new CodecException(ErrorCode.MALFORMED, "empty data: a Gizwits frame starts with its action byte", cmid);
        }
        int action = data[0] & 0xFF;
        MessageHeader header = new MessageHeader(mid, product.id(), deviceId, System.currentTimeMillis(), Map.of());
        Map<String, Object> properties;
        switch (action) {
            case TRANSPARENT_UP:
                return List.of(new DirectMessage(header, Arrays.copyOfRange(data, 1, data.length)));
            case REPORT:
            case READ_ACK:
                properties = readFixed(layout(product), data, product, frameName(action), cmid);
                break;
            case VAR_REPORT:
            case VAR_READ_ACK:
                properties = names(readVariable(layout(product), data, product, frameName(action), cmid, false));
                break;
            case CONTROL:
            case READ:
            case TRANSPARENT_DOWN:
            case VAR_WRITE:
            case VAR_READ:
                throw new CodecException(ErrorCode.MALFORMED, "action " + actionName(action) + " is a downlink (platform to device);"
                        + " a device sends 0x03 / 0x13 read ack, 0x04 / 0x14 report or 0x06 transparent up", cmid);
            default:
                throw new CodecException(ErrorCode.MALFORMED, String.format("unknown action 0x%02x: a device sends 0x03 / 0x13 read"
                        + " ack, 0x04 / 0x14 report or 0x06 transparent up", action), cmid);
        }
        if ((action == READ_ACK || action == VAR_READ_ACK) && !mid.isEmpty()) {
            return List.of(new ReadPropertiesReply(header, true, null, null, properties));
        }
        return List.of(new ReportProperties(header, properties));
    }

    /**
     * Encodes a downlink by the product's data format: {@link WriteProperties} as 0x01 control (fixed: {@code attr_flags}
     * mark the written points, the other writable points are sent as 0) or 0x11 write (variable);
     * {@link ReadProperties} as 0x02 read (fixed: reads every point) or 0x12 read (variable: flags the requested
     * points, every point when the list is empty); {@link DirectMessage} as 0x05 followed by its bytes.
     *
     * @throws CodecException {@code INVALID_ARGUMENT} naming a read-only or unknown property or a value that does not
     *                        fit; {@code UNSUPPORTED} for any other message
     */
    @Override
    public byte[] encode(DeviceMessage message, Product product) {
        Objects.requireNonNull(message, "message");
        String cmid = message.messageId().isEmpty() ? null : message.messageId();
        if (message instanceof DirectMessage direct) {
            return prefixed(TRANSPARENT_DOWN, direct.payload());
        }
        if (!(message instanceof WriteProperties) && !(message instanceof ReadProperties)) {
            throw new CodecException(ErrorCode.UNSUPPORTED, "Gizwits data points carry no " + message.type().topicSuffix()
                    + " message to a device (only property writes, property reads and transparent data)", cmid);
        }
        if (product == null) {
            throw new CodecException(ErrorCode.NOT_FOUND, "the product of device " + message.deviceId() + " does not exist", cmid);
        }
        DataPointLayout layout = layout(product);
        boolean fixed = product.dataFormat() == DataFormat.FIXED;
        if (message instanceof WriteProperties write) {
            Map<DataPoint, Object> raws = raws(layout, write.properties(), product, true, cmid);
            return fixed ? writeControl(layout, raws) : writeVariable(VAR_WRITE, layout, raws);
        }
        List<String> ids = ((ReadProperties) message).properties();
        List<DataPoint> points = new ArrayList<>();
        for (String id : ids) {
            points.add(layout.point(id).orElseThrow(() -> new CodecException(ErrorCode.INVALID_ARGUMENT,
                    "product " + product.id() + " has no data point " + id, cmid)));
        }
        if (fixed) {
            return new byte[] {READ};
        }
        byte[] buf = new byte[1 + layout.flagsLength()];
        buf[0] = VAR_READ;
        for (DataPoint p : points.isEmpty() ? layout.points() : points) {
            Bits.put(buf, 1, layout.flagsLength(), p.index(), 1, 1);
        }
        return buf;
    }

    @Override
    public Map<String, String> documents(Product product) {
        DataPointLayout layout;
        try {
            layout = layout(product.thingModel() == null ? ThingModel.EMPTY : product.thingModel());
        } catch (ThingportException e) {
            throw ThingportException.invalidArgument("product " + product.id() + ": " + e.getMessage());
        }
        return GizwitsDocuments.generate(product, layout, this);
    }

    // -------------------------------------------------------------------------------------------------- device side

    /**
     * Device side: the frame a device of {@code product} sends, by the product's data format.
     * {@link ReportProperties} and {@link WritePropertiesReply} (a device answers a control by reporting its state)
     * give 0x04 / 0x14, {@link ReadPropertiesReply} 0x03 / 0x13, {@link DirectMessage} 0x06. A fixed-length frame
     * sends every point: those not given as 0 (raw). Any property, writable or not, may be given.
     *
     * @throws CodecException {@code INVALID_ARGUMENT} for an unknown property or a value that does not fit;
     *                        {@code UNSUPPORTED} for any other message
     */
    public byte[] encodeUplink(DeviceMessage message, Product product) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(product, "product");
        String cmid = message.messageId().isEmpty() ? null : message.messageId();
        if (message instanceof DirectMessage direct) {
            return prefixed(TRANSPARENT_UP, direct.payload());
        }
        Map<String, Object> values;
        boolean ack;
        if (message instanceof ReportProperties report) {
            values = report.properties();
            ack = false;
        } else if (message instanceof WritePropertiesReply reply) {
            values = reply.properties();
            ack = false;
        } else if (message instanceof ReadPropertiesReply reply) {
            values = reply.properties();
            ack = true;
        } else {
            throw new CodecException(ErrorCode.UNSUPPORTED, "a Gizwits device sends no " + message.type().topicSuffix()
                    + " message (only reports, read acks and transparent data)", cmid);
        }
        DataPointLayout layout = layout(product);
        if (product.dataFormat() == DataFormat.FIXED) {
            Map<DataPoint, Object> raws = values.isEmpty() ? Map.of() : raws(layout, values, product, false, cmid);
            byte[] buf = new byte[layout.reportLength()];
            buf[0] = (byte) (ack ? READ_ACK : REPORT);
            for (DataPointLayout.Area area : DataPointLayout.Area.values()) {
                writeArea(buf, layout, area, layout.reportOffset(area), raws);
            }
            return buf;
        }
        return writeVariable(ack ? VAR_READ_ACK : VAR_REPORT, layout, raws(layout, values, product, false, cmid));
    }

    /**
     * Device side: parses a downlink frame (0x01, 0x02, 0x05, 0x11, 0x12) as a device of {@code product} would:
     * {@link WriteProperties} with the flagged points, {@link ReadProperties} with the requested points (a fixed 0x02
     * read asks for every point), {@link DirectMessage}.
     *
     * @throws CodecException {@code MALFORMED} naming what is wrong
     */
    public DeviceMessage decodeDownlink(byte[] data, Product product, String deviceId, String messageId) {
        Objects.requireNonNull(product, "product");
        String mid = messageId == null ? "" : messageId;
        String cmid = mid.isEmpty() ? null : mid;
        if (data == null || data.length == 0) {
            throw new CodecException(ErrorCode.MALFORMED, "empty data: a Gizwits frame starts with its action byte", cmid);
        }
        int action = data[0] & 0xFF;
        MessageHeader header = new MessageHeader(mid, product.id(), deviceId, System.currentTimeMillis(), Map.of());
        switch (action) {
            case TRANSPARENT_DOWN:
                return new DirectMessage(header, Arrays.copyOfRange(data, 1, data.length));
            case CONTROL:
                return new WriteProperties(header, readControl(layout(product), data, product, cmid));
            case VAR_WRITE:
                return new WriteProperties(header, names(readVariable(layout(product), data, product, frameName(action), cmid, true)));
            case READ: {
                DataPointLayout layout = layout(product);
                if (data.length != 1) {
                    throw new CodecException(ErrorCode.MALFORMED, "a fixed-length read of product " + product.id()
                            + " has 1 byte, got " + data.length, cmid);
                }
                return new ReadProperties(header, layout.points().stream().map(DataPoint::id).toList());
            }
            case VAR_READ: {
                DataPointLayout layout = layout(product);
                if (data.length != 1 + layout.flagsLength()) {
                    throw new CodecException(ErrorCode.MALFORMED, "a variable-length read of product " + product.id() + " has "
                            + (1 + layout.flagsLength()) + " bytes, got " + data.length, cmid);
                }
                List<DataPoint> flagged = flags(layout, data, product, frameName(action), cmid);
                return new ReadProperties(header, flagged.stream().map(DataPoint::id).toList());
            }
            default:
                throw new CodecException(ErrorCode.MALFORMED, "action " + actionName(action)
                        + " is not a downlink: a device receives 0x01, 0x02, 0x05, 0x11 or 0x12", cmid);
        }
    }

    // ----------------------------------------------------------------------------------------------------- internals

    static String frameName(int action) {
        switch (action) {
            case CONTROL:
                return "fixed-length control";
            case READ:
                return "fixed-length read";
            case READ_ACK:
                return "fixed-length read ack";
            case REPORT:
                return "fixed-length report";
            case VAR_WRITE:
                return "variable-length write";
            case VAR_READ:
                return "variable-length read";
            case VAR_READ_ACK:
                return "variable-length read ack";
            case VAR_REPORT:
                return "variable-length report";
            default:
                return actionName(action);
        }
    }

    private static byte[] prefixed(int action, byte[] payload) {
        byte[] buf = new byte[payload.length + 1];
        buf[0] = (byte) action;
        System.arraycopy(payload, 0, buf, 1, payload.length);
        return buf;
    }

    /** Checks values and converts them to raw form (Long for bits and numbers, byte[] for binary), in point order. */
    private static Map<DataPoint, Object> raws(DataPointLayout layout, Map<String, ?> values, Product product, boolean write,
                                               String cmid) {
        if (values.isEmpty()) {
            throw new CodecException(ErrorCode.INVALID_ARGUMENT, "at least one property is required", cmid);
        }
        Map<Integer, DataPoint> ordered = new TreeMap<>();
        Map<DataPoint, Object> raw = new java.util.HashMap<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            DataPoint p = layout.point(e.getKey()).orElseThrow(() -> new CodecException(ErrorCode.INVALID_ARGUMENT,
                    "property " + e.getKey() + ": product " + product.id() + " has no such data point", cmid));
            if (write && !p.writable()) {
                throw new CodecException(ErrorCode.INVALID_ARGUMENT, "property " + p.id() + ": the data point is read-only ("
                        + p.kind().wireName() + "); only status_writable data points can be written", cmid);
            }
            if (e.getValue() == null) {
                throw new CodecException(ErrorCode.INVALID_ARGUMENT, "property " + p.id() + ": a value is required (got null)", cmid);
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

    private static byte[] writeControl(DataPointLayout layout, Map<DataPoint, Object> raws) {
        byte[] buf = new byte[layout.controlLength()];
        buf[0] = CONTROL;
        for (DataPoint p : raws.keySet()) {
            Bits.put(buf, 1, layout.attrFlagsLength(), p.writableIndex(), 1, 1);
        }
        writeArea(buf, layout, DataPointLayout.Area.WRITABLE_BITS, layout.controlOffset(DataPointLayout.Area.WRITABLE_BITS), raws);
        writeArea(buf, layout, DataPointLayout.Area.WRITABLE_VALUES, layout.controlOffset(DataPointLayout.Area.WRITABLE_VALUES), raws);
        return buf;
    }

    private static void writeArea(byte[] buf, DataPointLayout layout, DataPointLayout.Area area, int start, Map<DataPoint, Object> raws) {
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

    private static byte[] writeVariable(int action, DataPointLayout layout, Map<DataPoint, Object> raws) {
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

    private static Map<String, Object> readFixed(DataPointLayout layout, byte[] data, Product product, String what, String cmid) {
        if (data.length != layout.reportLength()) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " has " + layout.reportLength()
                    + " bytes, got " + data.length, cmid);
        }
        Map<DataPoint, Object> values = new TreeMap<>((a, b) -> Integer.compare(a.index(), b.index()));
        for (DataPointLayout.Area area : DataPointLayout.Area.values()) {
            readArea(data, layout, area, layout.reportOffset(area), p -> true, values, product, what, cmid);
        }
        return names(values);
    }

    private static Map<String, Object> readControl(DataPointLayout layout, byte[] data, Product product, String cmid) {
        String what = frameName(CONTROL);
        if (data.length != layout.controlLength()) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " has "
                    + layout.controlLength() + " bytes, got " + data.length, cmid);
        }
        int flagBytes = layout.attrFlagsLength();
        List<DataPoint> writable = layout.writablePoints();
        for (int bit = writable.size(); bit < flagBytes * 8; bit++) {
            if (Bits.get(data, 1, flagBytes, bit, 1) != 0) {
                throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + ": attr_flags bit " + bit
                        + " is set, but the product has only " + writable.size() + " writable data points (bits 0.."
                        + (writable.size() - 1) + ")", cmid);
            }
        }
        java.util.Set<DataPoint> flagged = new java.util.HashSet<>();
        for (DataPoint p : writable) {
            if (Bits.get(data, 1, flagBytes, p.writableIndex(), 1) != 0) {
                flagged.add(p);
            }
        }
        if (flagged.isEmpty()) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " flags no data point", cmid);
        }
        Map<DataPoint, Object> values = new TreeMap<>((a, b) -> Integer.compare(a.index(), b.index()));
        readArea(data, layout, DataPointLayout.Area.WRITABLE_BITS, layout.controlOffset(DataPointLayout.Area.WRITABLE_BITS),
                flagged::contains, values, product, what, cmid);
        readArea(data, layout, DataPointLayout.Area.WRITABLE_VALUES, layout.controlOffset(DataPointLayout.Area.WRITABLE_VALUES),
                flagged::contains, values, product, what, cmid);
        return names(values);
    }

    private static void readArea(byte[] data, DataPointLayout layout, DataPointLayout.Area area, int start,
                                 Predicate<DataPoint> wanted, Map<DataPoint, Object> out, Product product, String what, String cmid) {
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
                throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + ": unused bit " + bit
                        + " of " + where + " is set (the area carries " + used + " bits): the device's data points differ from"
                        + " the product's", cmid);
            }
        }
    }

    /** The flagged points of a variable-length frame's flags (which must flag at least one point). */
    private static List<DataPoint> flags(DataPointLayout layout, byte[] data, Product product, String what, String cmid) {
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
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " flags no data point", cmid);
        }
        return flagged;
    }

    private static Map<DataPoint, Object> readVariable(DataPointLayout layout, byte[] data, Product product, String what,
                                                       String cmid, boolean writableOnly) {
        int flagBytes = layout.flagsLength();
        if (data.length < 1 + flagBytes) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " is truncated: its flags"
                    + " need " + flagBytes + " bytes after the action byte, got " + (data.length - 1), cmid);
        }
        List<DataPoint> flagged = flags(layout, data, product, what, cmid);
        if (writableOnly) {
            for (DataPoint p : flagged) {
                if (!p.writable()) {
                    throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " flags data point "
                            + p.id() + " (index " + p.index() + "), which is not writable", cmid);
                }
            }
        }
        int bits = flagged.stream().mapToInt(DataPoint::bits).sum();
        int bitBytes = Bits.bytesFor(bits);
        int expected = 1 + flagBytes + bitBytes + flagged.stream().mapToInt(DataPoint::length).sum();
        if (data.length < expected) {
            throw new CodecException(ErrorCode.MALFORMED, "a " + what + " of product " + product.id() + " is truncated: its flags"
                    + " announce " + expected + " bytes, got " + data.length, cmid);
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
        return values;
    }

    private static Map<String, Object> names(Map<DataPoint, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((p, v) -> out.put(p.id(), v));
        return out;
    }
}
