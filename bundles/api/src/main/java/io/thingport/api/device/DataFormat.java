package io.thingport.api.device;

import io.thingport.api.ThingportException;
import java.util.Locale;

/**
 * How a product's devices lay out binary data points (Gizwits style): a fixed-length frame always carries every data
 * point; a variable-length frame carries flags and then only the flagged points. Products that speak JSON ignore it.
 */
public enum DataFormat {
    FIXED, VARIABLE;

    /** {@code fixed} or {@code variable}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code fixed} / {@code variable} (any case); {@code null} or blank gives {@link #FIXED}. */
    public static DataFormat parse(String text) {
        if (text == null || text.isBlank()) {
            return FIXED;
        }
        for (DataFormat f : values()) {
            if (f.wireName().equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw ThingportException.invalidArgument("data format must be fixed or variable, not '" + text + "'");
    }
}
