package io.thingport.core.internal.access;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets with AES-256-GCM under one key, so that the database holds only what the key opens: each seal has a
 * random 12-byte IV, stored in front of the ciphertext and its tag, and is bound to its context (an application id,
 * the GCM associated data), so a sealed value copied to another row does not open there. The text form is
 * {@code 1:} and the URL-safe base64 of IV, ciphertext and tag. Pure: no files, no state but the key.
 */
final class SecretSeal {
    static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String VERSION = "1:";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final SecureRandom random;

    SecretSeal(byte[] key, SecureRandom random) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The secret sealed for {@code context}. */
    String seal(String secret, String context) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, context);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return VERSION + ENCODER.encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every Java runtime", e);
        }
    }

    /**
     * The secret of a sealed value.
     *
     * @throws ThingportException {@code INTERNAL} when the value was not sealed with this key for this context, or is
     *                            damaged: the message says which, never the value
     */
    String open(String sealed, String context) {
        byte[] bytes;
        try {
            bytes = sealed != null && sealed.startsWith(VERSION) ? DECODER.decode(sealed.substring(VERSION.length())) : null;
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        if (bytes == null || bytes.length < IV_BYTES + TAG_BITS / 8) {
            throw new ThingportException(ErrorCode.INTERNAL, "the sealed secret of " + context + " is damaged (not a sealed value)");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, IV_BYTES), context);
            return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "the sealed secret of " + context + " does not open with this key:"
                    + " it was sealed with another key file (copy the key of the node that created it) or it is damaged");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every Java runtime", e);
        }
    }

    private Cipher cipher(int mode, byte[] iv, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
