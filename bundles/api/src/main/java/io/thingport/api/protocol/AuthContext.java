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

    /**
     * Records {@code timestampMs} as the device's last accepted login when it is newer than the one recorded before,
     * and says whether it was: {@code false} means the login is not newer than an accepted one, i.e. a replay to
     * refuse. The check and the record are one atomic step (of two logins with one timestamp exactly one gets
     * {@code true}), kept in the platform's database: they hold across restarts, protocol updates, protocol packages
     * (one clock per device) and nodes sharing the database. Call it only once the credentials are verified, so that
     * an unsigned claim cannot move a device's clock forward; it waits for storage (authenticators run on worker
     * threads).
     */
    boolean recordLogin(String deviceId, long timestampMs);
}
