package io.thingport.api.protocol;

import java.util.Optional;

/** What the platform lends an {@link Authenticator}: credential look-ups and the platform clock. */
public interface AuthContext {
    Optional<DeviceCredentials> device(String deviceId);

    Optional<ProductCredentials> product(String productId);

    /** The platform's clock in epoch milliseconds (tests move it). */
    long now();
}
