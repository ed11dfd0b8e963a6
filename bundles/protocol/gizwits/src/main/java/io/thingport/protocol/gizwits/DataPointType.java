package io.thingport.protocol.gizwits;

/** The Gizwits data type of a data point (数据类型): bits for bool and enum, bytes for numbers and binary (扩展). */
public enum DataPointType {
    BOOL("bool", true, 0),
    ENUM("enum", true, 0),
    UINT8("uint8", false, 1),
    UINT16("uint16", false, 2),
    UINT32("uint32", false, 4),
    BINARY("binary", false, 0);

    private final String wireName;
    private final boolean bits;
    private final int numberBytes;

    DataPointType(String wireName, boolean bits, int numberBytes) {
        this.wireName = wireName;
        this.bits = bits;
        this.numberBytes = numberBytes;
    }

    /** The Gizwits name, e.g. {@code uint16}. */
    public String wireName() {
        return wireName;
    }

    /** {@code true} for bool and enum, which travel in bit areas. */
    public boolean isBits() {
        return bits;
    }

    /** {@code true} for uint8, uint16 and uint32. */
    public boolean isNumber() {
        return numberBytes > 0;
    }

    /** The unsigned width a raw number of at most {@code rawMax} needs, or {@code null} when it exceeds uint32. */
    static DataPointType forRawMax(long rawMax) {
        if (rawMax <= 0xFFL) {
            return UINT8;
        }
        if (rawMax <= 0xFFFFL) {
            return UINT16;
        }
        if (rawMax <= 0xFFFF_FFFFL) {
            return UINT32;
        }
        return null;
    }

    int numberBytes() {
        return numberBytes;
    }
}
