package io.thingport.api.network;

import io.thingport.api.ThingportException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * SHA-256 fingerprints of certificates: the digest of the certificate's DER encoding, written as colon-separated
 * upper-case hex ({@code 3F:A0:...}, 32 bytes), the form {@code openssl x509 -noout -fingerprint -sha256} prints and
 * {@code iot:cert-info} shows. Fingerprints are not secrets (certificates are public); a binding compares them with
 * {@link MessageDigest#isEqual} all the same.
 */
public final class Fingerprints {
    /** 64 hex digits, optionally in colon-separated pairs. */
    private static final Pattern SHA256 = Pattern.compile("[0-9A-Fa-f]{64}|[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}");
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":").withUpperCase();

    private Fingerprints() {
    }

    /** The SHA-256 digest of the certificate's DER encoding (32 bytes). */
    public static byte[] sha256(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot digest certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** The certificate's SHA-256 fingerprint as text ({@link #format}). */
    public static String sha256Text(X509Certificate certificate) {
        return format(sha256(certificate));
    }

    /** A digest as colon-separated upper-case hex. */
    public static String format(byte[] digest) {
        return COLONS.formatHex(digest);
    }

    /** Whether {@code text} is written as a SHA-256 fingerprint: 64 hex digits, with or without colons between pairs. */
    public static boolean isSha256(String text) {
        return text != null && SHA256.matcher(text.strip()).matches();
    }

    /**
     * Parses a SHA-256 fingerprint: 64 hex digits in either case, with or without colons between the pairs.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the value and the expected form
     */
    public static byte[] parseSha256(String text) {
        if (!isSha256(text)) {
            throw ThingportException.invalidArgument("'" + text + "' is not a SHA-256 fingerprint: expected 64 hex digits, with or"
                    + " without colons between pairs (openssl x509 -noout -fingerprint -sha256 -in cert.pem)");
        }
        return HexFormat.of().parseHex(text.strip().replace(":", ""));
    }
}
