package io.thingport.core.internal.registry;

import io.thingport.api.Secrets;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceState;
import java.time.Instant;

/**
 * The registry's cached view of one device, with its secret. Immutable: a change replaces the cached record after
 * the database change committed.
 */
public record DeviceRecord(String id, String productId, String name, String secret, boolean enabled, Instant createdAt,
                           DeviceState state) {

    public Device toDevice() {
        return new Device(id, productId, name, enabled, state, createdAt);
    }

    DeviceRecord withSecret(String newSecret) {
        return new DeviceRecord(id, productId, name, newSecret, enabled, createdAt, state);
    }

    DeviceRecord withEnabled(boolean on) {
        return new DeviceRecord(id, productId, name, secret, on, createdAt, state);
    }

    DeviceRecord withState(DeviceState newState) {
        return new DeviceRecord(id, productId, name, secret, enabled, createdAt, newState);
    }

    /** As the generated one, but the secret masked ({@link Secrets#mask}). */
    @Override
    public String toString() {
        return "DeviceRecord[id=" + id + ", productId=" + productId + ", name=" + name + ", secret=" + Secrets.mask(secret)
                + ", enabled=" + enabled + ", createdAt=" + createdAt + ", state=" + state + "]";
    }
}
