package io.thingport.bridge.ctwing;

import io.thingport.bridge.support.PushRejected;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The per-gateway secret that protects the push endpoint: CTWing does not sign its pushes, so the subscription URL
 * carries a random token (as a path segment or query value) that only the platform and this gateway know.
 */
public final class PushToken {
    /** Random bytes in a token. */
    public static final int TOKEN_BYTES = 32;
    /** The text form of a token: URL-safe Base64 of 32 bytes, without padding (43 characters). */
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PushToken() {
    }

    /** A new token: 32 random bytes, URL-safe Base64 without padding. */
    public static String generate() {
        return generate(RANDOM);
    }

    /** A new token from {@code random}. */
    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code token} has the form of a generated token (so a configured one can be checked). */
    public static boolean wellFormed(String token) {
        return token != null && FORMAT.matcher(token).matches();
    }

    /**
     * Whether {@code presented} equals {@code expected}, in time that does not depend on where they differ nor on the
     * presented length (both are hashed first). A null or empty presented token never matches.
     */
    public static boolean matches(String expected, String presented) {
        Objects.requireNonNull(expected, "expected");
        if (expected.isEmpty() || presented == null || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(sha256(expected), sha256(presented));
    }

    /** Passes when {@code presented} matches; otherwise {@link PushRejected.Reason#UNAUTHORIZED}, echoing no token. */
    public static void check(String expected, String presented) {
        if (!matches(expected, presented)) {
            throw new PushRejected(PushRejected.Reason.UNAUTHORIZED, "push token is missing or does not match");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
