package io.thingport.api.simulation;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A running virtual device and what it has done.
 *
 * @param state    {@code connecting}, {@code online} or {@code offline} (retrying; {@code detail} says why)
 * @param network  the MQTT server component it connects to
 * @param sent     reports, replies and events published
 * @param acked    of them, acknowledged by the platform (PUBACK)
 * @param commands commands answered
 * @param values   the current property values
 */
public record VirtualDeviceInfo(String deviceId, String productId, String state, String detail, String network,
                                Duration interval, Instant started, long sent, long acked, long commands,
                                Map<String, Object> values) {
    public VirtualDeviceInfo {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
