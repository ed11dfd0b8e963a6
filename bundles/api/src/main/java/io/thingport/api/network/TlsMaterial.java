package io.thingport.api.network;

import io.thingport.api.ThingportException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A managed certificate as network components use it: the certificate, its CA chain and (for a component's own
 * certificate) its private key. Built from PEM with {@link #fromPem}, which checks that the key matches.
 *
 * @param name  the managed certificate's name (for errors)
 * @param key   the private key, or {@code null} for a certificate that is only trusted
 * @param chain the certificate first, then its CA chain
 */
public record TlsMaterial(String name, PrivateKey key, List<X509Certificate> chain) {
    private static final char[] NO_PASSWORD = new char[0];

    public TlsMaterial {
        Objects.requireNonNull(name, "name");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw ThingportException.invalidArgument("certificate " + name + ": no certificate");
        }
    }

    /**
     * Parses PEM text.
     *
     * @param keyPem     a PKCS#8 ({@code PRIVATE KEY}) or PKCS#1 RSA ({@code RSA PRIVATE KEY}) key, or {@code null}
     * @param caChainPem the CA certificates that issued it, or {@code null}
     * @throws ThingportException {@code INVALID_ARGUMENT} naming what is wrong (not PEM, unsupported key, key does not
     *                            match the certificate)
     */
    public static TlsMaterial fromPem(String name, String certificatePem, String keyPem, String caChainPem) {
        List<X509Certificate> certs = Pem.certificates(name, certificatePem);
        List<X509Certificate> ca = caChainPem == null || caChainPem.isBlank() ? List.of() : Pem.certificates(name, caChainPem);
        List<X509Certificate> chain = new ArrayList<>(certs);
        for (X509Certificate c : ca) {
            if (!chain.contains(c)) {
                chain.add(c);
            }
        }
        PrivateKey key = keyPem == null || keyPem.isBlank() ? null : Pem.privateKey(name, keyPem);
        if (key != null) {
            checkKeyMatches(name, key, chain.get(0));
        }
        return new TlsMaterial(name, key, chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The CA certificates after the leaf. */
    public List<X509Certificate> caChain() {
        return chain.subList(1, chain.size());
    }

    public Optional<PrivateKey> privateKey() {
        return Optional.ofNullable(key);
    }

    /** Key managers presenting this certificate (for a TLS server, or a client doing mutual TLS). */
    public KeyManagerFactory keyManagerFactory() {
        if (key == null) {
            throw ThingportException.invalidArgument(
                    "certificate " + name + " has no private key, so it cannot identify a server or client");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, NO_PASSWORD);
            return kmf;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw ThingportException.invalidArgument("certificate " + name + " cannot be used for TLS: " + e.getMessage());
        }
    }

    /** The name, the key's algorithm (never the key) and the chain's subjects. */
    @Override
    public String toString() {
        return "TlsMaterial[name=" + name + ", key=" + (key == null ? "none" : key.getAlgorithm() + " private key (withheld)")
                + ", chain=" + chain.stream().map(c -> c.getSubjectX500Principal().getName()).toList() + "]";
    }

    /** Trust managers that accept peers whose chain ends in one of {@code trusted}. */
    public static TrustManagerFactory trustManagerFactory(List<X509Certificate> trusted) {
        if (trusted.isEmpty()) {
            throw ThingportException.invalidArgument("no trusted certificate is configured");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : trusted) {
                store.setCertificateEntry("trusted-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw ThingportException.invalidArgument("trusted certificates cannot be used: " + e.getMessage());
        }
    }

    private static void checkKeyMatches(String name, PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            throw ThingportException.invalidArgument("certificate " + name + ": unsupported key algorithm " + key.getAlgorithm());
        }
        try {
            byte[] probe = "thingport key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw ThingportException.invalidArgument("certificate " + name + ": the private key does not belong to the certificate "
                        + certificate.getSubjectX500Principal().getName());
            }
        } catch (GeneralSecurityException e) {
            throw ThingportException.invalidArgument("certificate " + name + ": the private key does not belong to the certificate ("
                    + e.getMessage() + ")");
        }
    }
}
