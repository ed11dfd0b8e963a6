package io.thingport.api.device;

import io.thingport.api.ThingportException;

/** How a product's devices are powered (Gizwits 供电方式): always powered, or low power (battery, sleeps between reports). */
public enum PowerMode {
    ALWAYS_ON("always-on"), LOW_POWER("low-power");

    private final String wireName;

    PowerMode(String wireName) {
        this.wireName = wireName;
    }

    /** {@code always-on} or {@code low-power}. */
    public String wireName() {
        return wireName;
    }

    /** Parses {@code always-on} / {@code low-power} (any case); {@code null} or blank gives {@link #ALWAYS_ON}. */
    public static PowerMode parse(String text) {
        if (text == null || text.isBlank()) {
            return ALWAYS_ON;
        }
        for (PowerMode m : values()) {
            if (m.wireName.equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw ThingportException.invalidArgument("power mode must be always-on or low-power, not '" + text + "'");
    }
}
