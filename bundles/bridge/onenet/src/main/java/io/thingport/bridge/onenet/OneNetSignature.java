package io.thingport.bridge.onenet;

import io.thingport.bridge.support.PushRejected;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * OneNET's push signature: {@code Base64(MD5(token + nonce + payload))}, the same for URL verification, the legacy
 * data push ({@code msg_signature} over the raw {@code msg} text or the {@code enc_msg} string) and OneNET Studio's
 * push ({@code signature} over the {@code msg} string). The three strings are concatenated and hashed as UTF-8.
 */
public final class OneNetSignature {
    private OneNetSignature() {
    }

    /** {@code Base64(MD5(token + nonce + payload))}. */
    public static String compute(String token, String nonce, String payload) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] digest = md5.digest((token + nonce + payload).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    /** Whether {@code signature} is the signature of the three strings; compared in constant time. */
    public static boolean matches(String token, String nonce, String payload, String signature) {
        if (signature == null) {
            return false;
        }
        byte[] expected = compute(token, nonce, payload).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A signature taken from a URL query as the HTTP server decoded it: a '+' of the Base64 text that was sent
     * unencoded has become ' ', and is turned back into '+' (Base64 has no spaces).
     */
    public static String fromQuery(String signature) {
        return signature == null ? null : signature.replace(' ', '+');
    }

    /** Throws a {@link PushRejected.Reason#SIGNATURE} rejection naming {@code field} unless the signature matches. */
    static void require(String token, String nonce, String payload, String signature, String field) {
        if (!matches(token, nonce, payload, signature)) {
            throw new PushRejected(PushRejected.Reason.SIGNATURE, "'" + field + "' does not match the token, nonce and payload");
        }
    }
}
