package io.thingport.core.internal.registry;

import io.thingport.api.ThingportException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Generates and checks product and device secrets. */
final class SecretRules {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 128;

    private SecretRules() {
    }

    /** 128 random bits as 32 lowercase hex characters. */
    static String generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A given secret, checked, or a generated one when {@code secret} is null. */
    static String orGenerate(String field, String secret) {
        if (secret == null) {
            return generate();
        }
        if (secret.length() < MIN_LENGTH || secret.length() > MAX_LENGTH) {
            throw ThingportException.invalidArgument(field + " must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
        }
        for (char c : secret.toCharArray()) {
            if (c <= ' ' || c > '~') {
                throw ThingportException.invalidArgument(field + " may contain only printable ASCII characters without spaces");
            }
        }
        return secret;
    }
}
