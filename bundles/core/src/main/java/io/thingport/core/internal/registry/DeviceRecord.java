package io.thingport.core.internal.registry;

import io.thingport.api.Secrets;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceState;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry's cached view of one device, with its secret. Immutable: a change replaces the cached record after
 * the database change committed.
 *
 * @param mac  its MAC address ({@code aa:bb:cc:dd:ee:ff}), or {@code null}
 * @param tags its tags, sorted by key
 */
public record DeviceRecord(String id, String productId, String name, String secret, boolean enabled, Instant createdAt,
                           DeviceState state, String mac, Map<String, String> tags) {
    public DeviceRecord {
        tags = tags == null || tags.isEmpty() ? Map.of() : Map.copyOf(tags);
    }

    /** A record without a MAC address or tags. */
    public DeviceRecord(String id, String productId, String name, String secret, boolean enabled, Instant createdAt,
                        DeviceState state) {
        this(id, productId, name, secret, enabled, createdAt, state, null, Map.of());
    }

    public Device toDevice() {
        return new Device(id, productId, name, enabled, state, createdAt, mac, new TreeMap<>(tags));
    }

    DeviceRecord withSecret(String newSecret) {
        return new DeviceRecord(id, productId, name, newSecret, enabled, createdAt, state, mac, tags);
    }

    DeviceRecord withEnabled(boolean on) {
        return new DeviceRecord(id, productId, name, secret, on, createdAt, state, mac, tags);
    }

    DeviceRecord withState(DeviceState newState) {
        return new DeviceRecord(id, productId, name, secret, enabled, createdAt, newState, mac, tags);
    }

    DeviceRecord withMac(String newMac) {
        return new DeviceRecord(id, productId, name, secret, enabled, createdAt, state, newMac, tags);
    }

    DeviceRecord withTags(Map<String, String> newTags) {
        return new DeviceRecord(id, productId, name, secret, enabled, createdAt, state, mac, newTags);
    }

    /** As the generated one, but the secret masked ({@link Secrets#mask}). */
    @Override
    public String toString() {
        return "DeviceRecord[id=" + id + ", productId=" + productId + ", name=" + name + ", secret=" + Secrets.mask(secret)
                + ", enabled=" + enabled + ", createdAt=" + createdAt + ", state=" + state + ", mac=" + mac + ", tags=" + tags + "]";
    }
}
