package io.thingport.api.protocol;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the platform lends an {@link Authenticator}: credential look-ups and the platform clock. The look-ups wait for
 * storage (authenticators run on worker threads).
 */
@ProviderType
public interface AuthContext {
    Optional<DeviceCredentials> device(String deviceId);

    Optional<ProductCredentials> product(String productId);

    /**
     * Whether an operator bound {@code certificate} to the device ({@code DeviceService.bindCertificate}, by its SHA-256
     * fingerprint). A TLS/DTLS handshake verifies a client certificate against the component's trusted CAs only, and a
     * CA may sign certificates for many devices (or a CN of anyone's choosing): a protocol that identifies a device by
     * a client certificate must accept it only when this says it is bound to that device. {@code false} for an unknown
     * device. The fingerprints are compared in constant time.
     *
     * @param certificate the leaf of the verified chain ({@link AuthRequest#certificates()}{@code .get(0)})
     */
    boolean certificateBound(String deviceId, X509Certificate certificate);

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
