package io.thingport.bridge.ctwing;

import java.util.Locale;

/** The {@code content.dataType} of a command: 1 the payload is a string, 2 it is hex text of the device bytes. */
public enum PayloadDataType {
    STRING(1),
    HEX(2);

    private final int wire;

    PayloadDataType(int wire) {
        this.wire = wire;
    }

    /** The number on the wire. */
    public int wire() {
        return wire;
    }

    /** {@code string}, {@code hex} (any case), {@code 1} or {@code 2}; another value is {@link IllegalArgumentException}. */
    public static PayloadDataType parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "string", "1" -> STRING;
            case "hex", "2" -> HEX;
            default -> throw new IllegalArgumentException("must be 'hex' (2) or 'string' (1)");
        };
    }
}
