package io.thingport.bridge.onenet;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A property value reported through OneNET Studio: {@code {"value":..,"time":..}}.
 *
 * @param value the value (Number, String, Boolean, unmodifiable Map or List, or null)
 * @param time milliseconds since the epoch, if given
 */
public record TimedValue(Object value, OptionalLong time) {
    public TimedValue {
        value = JsonValues.immutable(value);
        Objects.requireNonNull(time, "time");
    }

    String canonical() {
        return JsonValues.canonical(value) + "@" + (time.isPresent() ? Long.toString(time.getAsLong()) : "-");
    }
}
