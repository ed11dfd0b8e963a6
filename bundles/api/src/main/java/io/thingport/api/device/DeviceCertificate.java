package io.thingport.api.device;

import java.time.Instant;
import java.util.Objects;

/**
 * A client certificate an operator bound to a device ({@link DeviceService#bindCertificate}): a protocol that
 * identifies devices by certificate accepts this certificate, and no other, as the device's
 * ({@link io.thingport.api.protocol.AuthContext#certificateBound}).
 *
 * @param fingerprint SHA-256 of the certificate's DER encoding, colon-separated upper-case hex
 *                    ({@link io.thingport.api.network.Fingerprints})
 * @param subject     the certificate's subject, or {@code null} when it was bound by its fingerprint alone
 * @param issuer      its issuer, or {@code null} when bound by fingerprint
 * @param notAfter    the end of its validity, or {@code null} when bound by fingerprint
 * @param boundAt     when the binding was made
 */
public record DeviceCertificate(String deviceId, String fingerprint, String subject, String issuer, Instant notAfter,
                                Instant boundAt) {
    public DeviceCertificate {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(boundAt, "boundAt");
    }
}
