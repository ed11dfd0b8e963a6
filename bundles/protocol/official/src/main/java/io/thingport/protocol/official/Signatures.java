package io.thingport.protocol.official;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signing as the official protocol's credentials use it. */
public final class Signatures {
    private Signatures() {
    }

    /** Lowercase hex of HMAC-SHA256(key = {@code secret} as UTF-8, data = {@code data} as UTF-8). */
    public static String hmacSha256Hex(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Compares a presented password with the expected signature in constant time (case-insensitive hex). */
    public static boolean matches(String expectedHex, byte[] presented) {
        byte[] expected = expectedHex.getBytes(StandardCharsets.US_ASCII);
        byte[] given = new String(presented, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT)
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
