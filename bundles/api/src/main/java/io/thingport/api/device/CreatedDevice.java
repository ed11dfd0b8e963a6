package io.thingport.api.device;

/** A device just created, with its secret: the only time the platform hands the secret out whole. */
public record CreatedDevice(Device device, String secret) {
}
