package io.thingport.api.network;

import java.time.Instant;
import java.util.List;

/**
 * A managed certificate as operators see it (never the private key).
 *
 * @param fingerprint SHA-256 of the certificate's DER encoding, colon-separated hex
 * @param chainLength certificates in the chain, the certificate included
 * @param usedBy      network components whose {@code certificate} or {@code trust} names it
 */
public record CertificateInfo(String name, String description, String subject, String issuer, String serialNumber,
                              Instant notBefore, Instant notAfter, String fingerprint, boolean hasPrivateKey,
                              int chainLength, Instant createdAt, List<String> usedBy) {
    public CertificateInfo {
        usedBy = List.copyOf(usedBy);
    }
}
