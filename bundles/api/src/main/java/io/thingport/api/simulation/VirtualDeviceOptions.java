package io.thingport.api.simulation;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a virtual device behaves.
 *
 * @param interval time between two reports; {@code null} for {@link #DEFAULT_INTERVAL}, {@link Duration#ZERO} for none
 *                 (it then reports only when values are set)
 * @param values   property values it reports instead of generated ones (checked against the thing model)
 */
public record VirtualDeviceOptions(Duration interval, Map<String, Object> values) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** The shortest interval between reports of one virtual device. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    public VirtualDeviceOptions {
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static VirtualDeviceOptions defaults() {
        return new VirtualDeviceOptions(null, null);
    }
}
