package io.thingport.api.device;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Signs official-protocol logins for devices whose secret the platform holds, so that a component inside the platform
 * (a virtual device) can connect as a device without the secret ever leaving the core.
 */
@ProviderType
public interface DeviceLoginSigner {
    /**
     * A login for the device, signed with its secret at the platform's clock (good for one connection).
     *
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND} for an unknown device, {@code FORBIDDEN} for a
     *                                             disabled one
     */
    SignedLogin signLogin(String deviceId);
}
