package io.thingport.api.protocol;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** What the platform lends an {@link Authenticator}: credential look-ups and the platform clock. */
@ProviderType
public interface AuthContext {
    Optional<DeviceCredentials> device(String deviceId);

    Optional<ProductCredentials> product(String productId);

    /** The platform's clock in epoch milliseconds (tests move it). */
    long now();
}
