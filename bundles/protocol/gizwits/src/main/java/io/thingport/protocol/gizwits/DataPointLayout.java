package io.thingport.protocol.gizwits;

import io.thingport.api.ThingportException;
import io.thingport.api.model.Access;
import io.thingport.api.model.DataType;
import io.thingport.api.model.PropertySpec;
import io.thingport.api.model.ThingModel;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A product's thing-model properties laid out as Gizwits data points. Property order is data point order (the point
 * index). A fixed-length report carries six areas in this order: writable bits, writable values, read-only bits,
 * read-only values, alert bits, fault bits. A bit area is a big-endian integer of {@code ceil(bits / 8)} bytes whose
 * bit 0 is the least significant bit of its last byte; its first point takes the lowest bits. Values (numbers and
 * binary) follow each other, each number unsigned big-endian.
 *
 * <p>Immutable and thread-safe.
 */
public final class DataPointLayout {
    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal UINT32_MAX = BigDecimal.valueOf(0xFFFF_FFFFL);

    /** The areas of a fixed-length report (0x03, 0x04), in frame order. */
    public enum Area {
        WRITABLE_BITS("writable bits", true),
        WRITABLE_VALUES("writable values", false),
        READONLY_BITS("read-only bits", true),
        READONLY_VALUES("read-only values", false),
        ALERT_BITS("alert bits", true),
        FAULT_BITS("fault bits", true);

        private final String title;
        private final boolean bits;

        Area(String title, boolean bits) {
            this.title = title;
            this.bits = bits;
        }

        /** A human-readable name, e.g. {@code writable bits}. */
        public String title() {
            return title;
        }

        /** {@code true} for a bit area (bool and enum points). */
        public boolean isBits() {
            return bits;
        }
    }

    private final List<DataPoint> points;
    private final Map<String, DataPoint> byId;
    private final List<DataPoint> writable;
    private final Map<Area, List<DataPoint>> areas;
    private final Map<Area, Integer> usedBits;
    private final Map<Area, Integer> lengths;
    private final Map<Area, Integer> reportOffsets;

    private DataPointLayout(List<DataPoint> points) {
        this.points = List.copyOf(points);
        Map<String, DataPoint> ids = new LinkedHashMap<>();
        points.forEach(p -> ids.put(p.id(), p));
        this.byId = Collections.unmodifiableMap(ids);
        this.writable = points.stream().filter(DataPoint::writable).toList();
        Map<Area, List<DataPoint>> a = new EnumMap<>(Area.class);
        Map<Area, Integer> used = new EnumMap<>(Area.class);
        Map<Area, Integer> len = new EnumMap<>(Area.class);
        Map<Area, Integer> off = new EnumMap<>(Area.class);
        int offset = 1;
        for (Area area : Area.values()) {
            List<DataPoint> in = points.stream().filter(p -> p.area() == area).toList();
            a.put(area, in);
            int size = area.isBits() ? in.stream().mapToInt(DataPoint::bits).sum() : in.stream().mapToInt(DataPoint::length).sum();
            used.put(area, size);
            len.put(area, area.isBits() ? Bits.bytesFor(size) : size);
            off.put(area, offset);
            offset += len.get(area);
        }
        this.areas = Collections.unmodifiableMap(a);
        this.usedBits = Collections.unmodifiableMap(used);
        this.lengths = Collections.unmodifiableMap(len);
        this.reportOffsets = Collections.unmodifiableMap(off);
    }

    /**
     * Lays out {@code model}'s properties.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the first property that cannot be a data point and why
     */
    public static DataPointLayout of(ThingModel model) {
        List<DataPoint> points = new ArrayList<>();
        Map<Area, Integer> next = new EnumMap<>(Area.class);
        int index = 0;
        int writableIndex = 0;
        for (PropertySpec p : model.properties()) {
            DataPoint point = point(index++, p, next, p.writable() ? writableIndex : -1);
            if (point.writable()) {
                writableIndex++;
            }
            points.add(point);
        }
        return new DataPointLayout(points);
    }

    private static DataPoint point(int index, PropertySpec p, Map<Area, Integer> next, int writableIndex) {
        DataPointKind kind = DataPointKind.of(p);
        DataType t = p.type();
        String name = "property " + p.id();
        if ((kind == DataPointKind.ALERT || kind == DataPointKind.FAULT)
                && (t.kind() != DataType.Kind.BOOL || p.access() != Access.READ_ONLY)) {
            throw ThingportException.invalidArgument(name + ": an " + (kind == DataPointKind.ALERT ? "alarm" : "fault")
                    + " data point must be a read-only bool (Gizwits " + kind.wireName() + " points are 1-bit flags the device"
                    + " reports), not a " + (p.access() == Access.READ_WRITE ? "writable " : "") + t.kind().wireName());
        }
        Area area;
        switch (kind) {
            case ALERT:
                area = Area.ALERT_BITS;
                break;
            case FAULT:
                area = Area.FAULT_BITS;
                break;
            case STATUS_WRITABLE:
                area = isBitType(t) ? Area.WRITABLE_BITS : Area.WRITABLE_VALUES;
                break;
            default:
                area = isBitType(t) ? Area.READONLY_BITS : Area.READONLY_VALUES;
                break;
        }
        int offset = next.getOrDefault(area, 0);
        switch (t.kind()) {
            case BOOL:
                next.put(area, offset + 1);
                return new DataPoint(index, p, kind, DataPointType.BOOL, 1, 0, null, null, 1, null, area, offset, writableIndex);
            case ENUM: {
                List<String> keys = List.copyOf(t.enumValues().keySet());
                int n = keys.size();
                if (n == 0) {
                    throw ThingportException.invalidArgument(name + ": an enum needs at least one value");
                }
                int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1));
                next.put(area, offset + bits);
                return new DataPoint(index, p, kind, DataPointType.ENUM, bits, 0, null, null, n - 1L, keys, area, offset, writableIndex);
            }
            case INT:
            case LONG:
            case FLOAT:
            case DOUBLE:
                return number(index, p, kind, area, offset, next, writableIndex);
            case BINARY: {
                if (t.maxLength() == null || t.maxLength() <= 0) {
                    throw ThingportException.invalidArgument(name + ": a binary data point (Gizwits 扩展) needs maxLength, its"
                            + " length in bytes");
                }
                int len = t.maxLength();
                next.put(area, offset + len);
                return new DataPoint(index, p, kind, DataPointType.BINARY, 0, len, null, null, 0, null, area, offset, writableIndex);
            }
            default:
                throw ThingportException.invalidArgument(name + ": type " + t.kind().wireName() + " cannot be a Gizwits data"
                        + " point (use bool, enum, int/long/float/double with min and max, or binary with maxLength)");
        }
    }

    private static boolean isBitType(DataType t) {
        return t.kind() == DataType.Kind.BOOL || t.kind() == DataType.Kind.ENUM;
    }

    private static DataPoint number(int index, PropertySpec p, DataPointKind kind, Area area, int offset,
                                    Map<Area, Integer> next, int writableIndex) {
        DataType t = p.type();
        String name = "property " + p.id();
        if (t.min() == null || t.max() == null) {
            throw ThingportException.invalidArgument(name + ": a numeric data point needs min and max (it travels as an unsigned"
                    + " raw x with y = x * ratio + min)");
        }
        if (t.min().compareTo(t.max()) > 0) {
            throw ThingportException.invalidArgument(name + ": min " + t.min().toPlainString() + " is greater than max "
                    + t.max().toPlainString());
        }
        boolean integral = t.kind() == DataType.Kind.INT || t.kind() == DataType.Kind.LONG;
        if (integral && t.min().stripTrailingZeros().scale() > 0) {
            throw ThingportException.invalidArgument(name + ": the min of an integer type must be a whole number, got "
                    + t.min().toPlainString());
        }
        BigDecimal lo = t.kind() == DataType.Kind.INT ? INT_MIN : LONG_MIN;
        BigDecimal hi = t.kind() == DataType.Kind.INT ? INT_MAX : LONG_MAX;
        if (integral && (t.min().compareTo(lo) < 0 || t.max().compareTo(hi) > 0)) {
            throw ThingportException.invalidArgument(name + ": the range " + t.min().toPlainString() + ".." + t.max().toPlainString()
                    + " does not fit in a " + t.kind().wireName());
        }
        BigDecimal ratio = t.step() == null ? BigDecimal.ONE : t.step();
        if (ratio.signum() <= 0) {
            throw ThingportException.invalidArgument(name + ": the step (ratio) must be positive, got " + ratio.toPlainString());
        }
        BigDecimal[] qr = t.max().subtract(t.min()).divideAndRemainder(ratio);
        if (qr[1].signum() != 0) {
            throw ThingportException.invalidArgument(name + ": (max - min) / ratio = (" + t.max().toPlainString() + " - "
                    + t.min().toPlainString() + ") / " + ratio.toPlainString() + " is not a whole number");
        }
        if (qr[0].compareTo(UINT32_MAX) > 0) {
            throw ThingportException.invalidArgument(name + ": (max - min) / ratio = " + qr[0].toPlainString()
                    + " raw values do not fit in a uint32 (at most 4294967295)");
        }
        if (!integral) {
            int scale = Math.max(0, Math.max(ratio.stripTrailingZeros().scale(), t.min().stripTrailingZeros().scale()));
            BigDecimal largest = t.min().abs().max(t.max().abs()).setScale(scale, RoundingMode.UNNECESSARY);
            if (largest.precision() > 15) {
                throw ThingportException.invalidArgument(name + ": values of " + largest.precision() + " significant digits ("
                        + largest.toPlainString() + ") cannot be decoded exactly as a " + t.kind().wireName()
                        + " (at most 15)");
            }
        }
        long rawMax = qr[0].longValueExact();
        DataPointType type = DataPointType.forRawMax(rawMax);
        next.put(area, offset + type.numberBytes());
        return new DataPoint(index, p, kind, type, 0, type.numberBytes(), ratio, t.min(), rawMax, null, area, offset, writableIndex);
    }

    /** All data points, in index order. */
    public List<DataPoint> points() {
        return points;
    }

    public int pointCount() {
        return points.size();
    }

    public Optional<DataPoint> point(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The writable points, in index order (their position is their {@code attr_flags} bit). */
    public List<DataPoint> writablePoints() {
        return writable;
    }

    /** The points of one area, in index order. */
    public List<DataPoint> area(Area area) {
        return areas.get(area);
    }

    /** The bits (bit areas) or bytes (value areas) the area's points use. */
    public int areaUsed(Area area) {
        return usedBits.get(area);
    }

    /** The area's length in bytes. */
    public int areaLength(Area area) {
        return lengths.get(area);
    }

    /** Where the area starts in a fixed-length report frame (0x03, 0x04); the action byte is offset 0. */
    public int reportOffset(Area area) {
        return reportOffsets.get(area);
    }

    /**
     * Where a writable area starts in a fixed-length control frame (0x01), after the action byte and
     * {@code attr_flags}.
     *
     * @throws IllegalArgumentException for a read-only, alert or fault area
     */
    public int controlOffset(Area area) {
        if (area == Area.WRITABLE_BITS) {
            return 1 + attrFlagsLength();
        }
        if (area == Area.WRITABLE_VALUES) {
            return 1 + attrFlagsLength() + areaLength(Area.WRITABLE_BITS);
        }
        throw new IllegalArgumentException("a control frame carries only the writable areas, not " + area.title());
    }

    /** A value point's first byte, or a bit point's area's first byte, in a fixed-length report frame. */
    public int reportOffset(DataPoint point) {
        return reportOffset(point.area()) + (point.isBits() ? 0 : point.offset());
    }

    /** The same as {@link #reportOffset(DataPoint)} in a fixed-length control frame, for writable points. */
    public int controlOffset(DataPoint point) {
        return controlOffset(point.area()) + (point.isBits() ? 0 : point.offset());
    }

    /** The length of a fixed-length report or read ack (0x03, 0x04), action byte included. */
    public int reportLength() {
        int n = 1;
        for (Area a : Area.values()) {
            n += areaLength(a);
        }
        return n;
    }

    /** The length of a fixed-length control (0x01), action byte included. */
    public int controlLength() {
        return 1 + attrFlagsLength() + areaLength(Area.WRITABLE_BITS) + areaLength(Area.WRITABLE_VALUES);
    }

    /** The length of a fixed-length control's {@code attr_flags}: one bit per writable point. */
    public int attrFlagsLength() {
        return Bits.bytesFor(writable.size());
    }

    /** The length of the flags of a variable-length frame: one bit per data point. */
    public int flagsLength() {
        return Bits.bytesFor(points.size());
    }

    /** The length of a variable-length write, read ack or report that flags every data point, action byte included. */
    public int variableMaxLength() {
        int bits = points.stream().mapToInt(DataPoint::bits).sum();
        int bytes = points.stream().mapToInt(DataPoint::length).sum();
        return 1 + flagsLength() + Bits.bytesFor(bits) + bytes;
    }
}
