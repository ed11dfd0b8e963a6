package io.thingport.api.network;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Managed certificates for TLS/DTLS. A network component names one with its {@code certificate} key (its own
 * certificate and key) or {@code trust} key (certificates it trusts to verify peers).
 */
@ProviderType
public interface CertificateService {
    /**
     * Stores a certificate after checking it.
     *
     * @param name           at most 64 characters: letters, digits, {@code -} and {@code _}
     * @param certificatePem the certificate (PEM), optionally followed by its chain
     * @param privateKeyPem  its PKCS#8 or PKCS#1 RSA private key (PEM), or {@code null} for a certificate that is only
     *                       trusted
     * @param caChainPem     the CA certificates that issued it (PEM), or {@code null}
     * @throws io.thingport.api.ThingportException {@code INVALID_ARGUMENT} naming what is wrong (not PEM, key does not
     *                                             match, expired, ...), {@code CONFLICT} when the name exists
     */
    CertificateInfo add(String name, String description, String certificatePem, String privateKeyPem, String caChainPem);

    List<CertificateInfo> list();

    Optional<CertificateInfo> find(String name);

    /** @throws io.thingport.api.ThingportException {@code CONFLICT} while a network component uses it */
    void delete(String name);
}
