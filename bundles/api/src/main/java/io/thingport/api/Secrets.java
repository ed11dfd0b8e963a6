package io.thingport.api;

/**
 * How a secret is shown when it must appear at all: in a shell command's output, a log line, an error message or a
 * {@code toString()}. A device or product secret, a broker password, a pre-shared key or a private key is never shown
 * whole, except where the shell prints a new secret once on purpose ({@code iot:device-create},
 * {@code iot:device-secret}, {@code iot:product-create}, {@code iot:device-import}) or the operator asks for it
 * ({@code iot:product-info --show-secret}). The {@code etc/} files and the database hold the values themselves.
 */
public final class Secrets {
    /** What a secret shorter than {@link #REVEAL_FROM} characters is shown as: none of its characters. */
    private static final String MASK = "****";
    /** A secret of at least this many characters is shown with its first {@link #REVEALED} characters. */
    private static final int REVEAL_FROM = 16;
    /** How many leading characters of a long secret are shown, so that an operator can tell two secrets apart. */
    private static final int REVEALED = 4;

    private Secrets() {
    }

    /**
     * A secret as it may be shown: its first 4 characters and {@code …} when it has at least 16 characters
     * ({@code abcd…}), else {@code ****}, whatever its length. {@code null} and the empty string, which hide nothing,
     * are returned as they are.
     */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return secret;
        }
        if (secret.length() < REVEAL_FROM) {
            return MASK;
        }
        int end = Character.isHighSurrogate(secret.charAt(REVEALED - 1)) ? REVEALED - 1 : REVEALED; // never half a pair
        return secret.substring(0, end) + "\u2026";
    }
}
