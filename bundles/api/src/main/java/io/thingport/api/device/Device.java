package io.thingport.api.device;

import java.time.Instant;

/** A device as the registry holds it. Its secret is never part of this view. */
public record Device(String id, String productId, String name, boolean enabled, DeviceState state, Instant createdAt) {
}
