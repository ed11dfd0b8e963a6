package io.thingport.api.protocol;

import io.thingport.api.Secrets;

/** What an authenticator may know about a device. */
public record DeviceCredentials(String deviceId, String productId, String secret, boolean enabled) {
    /** As the generated one, but the secret masked ({@link Secrets#mask}). */
    @Override
    public String toString() {
        return "DeviceCredentials[deviceId=" + deviceId + ", productId=" + productId + ", secret=" + Secrets.mask(secret)
                + ", enabled=" + enabled + "]";
    }
}
