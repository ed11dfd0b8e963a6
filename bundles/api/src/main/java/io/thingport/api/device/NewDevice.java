package io.thingport.api.device;

import io.thingport.api.Secrets;

/**
 * What an operator gives to create a device.
 *
 * @param name   a display name, or {@code null} for the id
 * @param secret a device secret, or {@code null} to have the platform generate one
 */
public record NewDevice(String id, String productId, String name, String secret) {
    /** As the generated one, but the secret masked ({@link Secrets#mask}). */
    @Override
    public String toString() {
        return "NewDevice[id=" + id + ", productId=" + productId + ", name=" + name + ", secret=" + Secrets.mask(secret) + "]";
    }
}
