package io.thingport.api.device;

import io.thingport.api.Secrets;

/**
 * What an operator gives to create a device.
 *
 * @param name   a display name, or {@code null} for the id
 * @param secret a device secret, or {@code null} to have the platform generate one
 * @param mac    its MAC address (any of {@code aa:bb:cc:dd:ee:ff}, {@code AA-BB-CC-DD-EE-FF}, {@code aabb.ccdd.eeff},
 *               {@code aabbccddeeff}), or {@code null}; since 1.3
 */
public record NewDevice(String id, String productId, String name, String secret, String mac) {
    /** A new device without a MAC address. */
    public NewDevice(String id, String productId, String name, String secret) {
        this(id, productId, name, secret, null);
    }

    /** As the generated one, but the secret masked ({@link Secrets#mask}). */
    @Override
    public String toString() {
        return "NewDevice[id=" + id + ", productId=" + productId + ", name=" + name + ", secret=" + Secrets.mask(secret) + ", mac=" + mac
                + "]";
    }
}
