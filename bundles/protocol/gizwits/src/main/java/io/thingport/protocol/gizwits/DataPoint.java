package io.thingport.protocol.gizwits;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.model.DataType;
import io.thingport.api.model.PropertySpec;
import io.thingport.api.protocol.CodecException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One data point: a thing-model property laid out as Gizwits binary.
 *
 * @param index         the point's index: its position among the product's properties, and its bit in the flags of
 *                      variable-length frames
 * @param property      the property it carries
 * @param kind          its Gizwits read-write kind
 * @param type          its Gizwits data type
 * @param bits          its width in bits (bool and enum), else 0
 * @param length        its length in bytes (numbers and binary), else 0
 * @param ratio         numbers: y = x * ratio + addition (the property's step, default 1); else {@code null}
 * @param addition      numbers: the property's minimum; else {@code null}
 * @param rawMax        the largest raw value: 1 for bool, n-1 for an enum of n values, (max-min)/ratio for a number;
 *                      0 for binary
 * @param enumKeys      enum: the keys in declared order (the raw value is the index); else empty
 * @param area          the area of a fixed-length report that holds it
 * @param offset        bit points: the bit offset within its area (bit 0 = least significant bit of the area's last
 *                      byte); value points: the byte offset within its area
 * @param writableIndex writable points: the index among the writable points (its bit in a fixed control's
 *                      {@code attr_flags}); else -1
 */
public record DataPoint(int index, PropertySpec property, DataPointKind kind, DataPointType type, int bits, int length,
                        BigDecimal ratio, BigDecimal addition, long rawMax, List<String> enumKeys,
                        DataPointLayout.Area area, int offset, int writableIndex) {

    public DataPoint {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(area, "area");
        enumKeys = enumKeys == null ? List.of() : List.copyOf(enumKeys);
    }

    /** The property id. */
    public String id() {
        return property.id();
    }

    public boolean isBits() {
        return type.isBits();
    }

    public boolean writable() {
        return kind == DataPointKind.STATUS_WRITABLE;
    }

    /** The property's minimum, or {@code null} for non-numbers. */
    public BigDecimal min() {
        return property.type().min();
    }

    /** The property's maximum, or {@code null} for non-numbers. */
    public BigDecimal max() {
        return property.type().max();
    }

    /**
     * The raw value of a bool, enum or number.
     *
     * @param value a JSON-like value (Boolean, enum key or index, Number); {@code null} gives 0
     * @throws CodecException {@code INVALID_ARGUMENT} naming the property when the value does not fit
     */
    public long raw(Object value) {
        if (value == null) {
            return 0;
        }
        Object v = normalize(value);
        switch (type) {
            case BOOL:
                return ((Boolean) v) ? 1 : 0;
            case ENUM:
                return enumKeys.indexOf((String) v);
            case BINARY:
                throw new IllegalStateException("binary data point " + id() + " has no raw number");
            default:
                BigDecimal y = v instanceof Long l ? BigDecimal.valueOf(l) : BigDecimal.valueOf(((Number) v).doubleValue());
                BigDecimal diff = y.subtract(addition);
                BigDecimal[] qr = diff.divideAndRemainder(ratio);
                if (qr[1].signum() != 0) {
                    throw new CodecException(ErrorCode.INVALID_ARGUMENT, "property " + id() + ": "
                            + y.stripTrailingZeros().toPlainString() + " is not " + addition.toPlainString()
                            + " plus a multiple of the ratio " + ratio.toPlainString());
                }
                long x = qr[0].longValueExact();
                if (x < 0 || x > rawMax) {
                    throw new CodecException(ErrorCode.INVALID_ARGUMENT, "property " + id() + ": "
                            + y.stripTrailingZeros().toPlainString() + " is outside " + min().toPlainString() + ".."
                            + max().toPlainString());
                }
                return x;
        }
    }

    /**
     * The bytes of a binary value, zero-padded to {@link #length()}.
     *
     * @param value a Base64 string (or a byte array); {@code null} gives zeros
     * @throws CodecException {@code INVALID_ARGUMENT} naming the property when it is not Base64 or too long
     */
    public byte[] binary(Object value) {
        byte[] out = new byte[length];
        if (value == null) {
            return out;
        }
        byte[] bytes = value instanceof byte[] b ? b.clone() : Base64.getDecoder().decode((String) normalize(value));
        if (bytes.length > length) {
            throw new CodecException(ErrorCode.INVALID_ARGUMENT, "property " + id() + ": " + bytes.length
                    + " bytes is longer than the data point's " + length + " bytes");
        }
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        return out;
    }

    private Object normalize(Object value) {
        try {
            return property.type().normalize(value, "property " + id());
        } catch (ThingportException e) {
            throw new CodecException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
    }

    /**
     * The value of a raw bool, enum or number as the platform holds it: Boolean, enum key, Long (int, long) or Double
     * (float, double).
     *
     * @throws CodecException {@code MALFORMED} when the raw value is out of range
     */
    public Object value(long raw) {
        switch (type) {
            case BOOL:
                return raw != 0;
            case ENUM:
                if (raw < 0 || raw >= enumKeys.size()) {
                    throw new CodecException(ErrorCode.MALFORMED, "data point " + id() + " (index " + index + "): enum index " + raw
                            + " is out of range (" + enumKeys.size() + " values, 0.." + (enumKeys.size() - 1) + ")");
                }
                return enumKeys.get((int) raw);
            case BINARY:
                throw new IllegalStateException("binary data point " + id() + " has no raw number");
            default:
                if (raw < 0 || raw > rawMax) {
                    throw new CodecException(ErrorCode.MALFORMED, "data point " + id() + " (index " + index + "): raw value " + raw
                            + " is above its maximum " + rawMax + " (" + max().toPlainString() + ")");
                }
                BigDecimal y = BigDecimal.valueOf(raw).multiply(ratio).add(addition);
                DataType.Kind k = property.type().kind();
                if (k == DataType.Kind.INT || k == DataType.Kind.LONG) {
                    return y.longValueExact();
                }
                return y.doubleValue();
        }
    }

    /** A binary value as the platform holds it: Base64. */
    public Object value(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The display value of raw {@code x} (numbers), exact. */
    BigDecimal display(long x) {
        return BigDecimal.valueOf(x).multiply(ratio).add(addition);
    }
}
