package io.thingport.api.device;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device as the registry holds it. Its secret is never part of this view.
 *
 * @param mac  its MAC address, normalised to {@code aa:bb:cc:dd:ee:ff}, or {@code null} when nobody set it and the device
 *             never reported it; since 1.3
 * @param tags its tags (key to value), sorted by key; since 1.3
 */
public record Device(String id, String productId, String name, boolean enabled, DeviceState state, Instant createdAt, String mac,
                     Map<String, String> tags) {
    public Device {
        tags = tags == null || tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    /** A device without a MAC address or tags. */
    public Device(String id, String productId, String name, boolean enabled, DeviceState state, Instant createdAt) {
        this(id, productId, name, enabled, state, createdAt, null, Map.of());
    }

    /** Where the device stands in the device list ({@link DeviceStatus#of}); since 1.3. */
    public DeviceStatus status() {
        return DeviceStatus.of(enabled, state);
    }
}
