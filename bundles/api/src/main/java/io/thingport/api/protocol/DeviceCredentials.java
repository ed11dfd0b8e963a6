package io.thingport.api.protocol;

/** What an authenticator may know about a device. */
public record DeviceCredentials(String deviceId, String productId, String secret, boolean enabled) {
}
