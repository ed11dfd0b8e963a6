package io.thingport.bridge.onenet;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a OneNET Studio message comes from: the push that carried it and the device it is about.
 *
 * @param pushId the push's {@code id} (empty if the push had none); not part of the dedup keys: the signature does not
 *               cover it, so a replayed push with another id must give the same keys
 * @param productId {@code productId} of the msg, if present
 * @param deviceName {@code deviceName} of the msg, if present
 * @param deviceId {@code deviceId} of the msg (a number on the wire, kept as text), if present
 */
public record StudioSource(String pushId, Optional<String> productId, Optional<String> deviceName, Optional<String> deviceId) {
    public StudioSource {
        Objects.requireNonNull(pushId, "pushId");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(deviceId, "deviceId");
    }

    Object[] keyParts() {
        return new Object[] {productId.orElse(null), deviceName.orElse(null), deviceId.orElse(null)};
    }
}
