package io.thingport.api.device;

import io.thingport.api.Secrets;

/** A device just created, with its secret: the only time the platform hands the secret out whole. */
public record CreatedDevice(Device device, String secret) {
    /** As the generated one, but the secret masked ({@link Secrets#mask}). */
    @Override
    public String toString() {
        return "CreatedDevice[device=" + device + ", secret=" + Secrets.mask(secret) + "]";
    }
}
