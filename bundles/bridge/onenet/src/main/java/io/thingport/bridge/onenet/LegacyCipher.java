package io.thingport.bridge.onenet;

import io.thingport.bridge.support.PushRejected;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The legacy push's {@code enc_msg}: key = Base64Decode(aesKey + "=") (32 bytes), AES-256-CBC with PKCS#7 padding,
 * IV = the first 16 bytes of the key; plaintext = 16 random bytes | 4-byte big-endian length L | L bytes of the
 * {@code msg} JSON text (UTF-8) | trailing bytes.
 */
public final class LegacyCipher {
    /** The length of a legacy aesKey as configured on OneNET. */
    public static final int AES_KEY_CHARS = 43;
    private static final int KEY_BYTES = 32;
    private static final int RANDOM_BYTES = 16;
    private static final int HEADER_BYTES = RANDOM_BYTES + 4;
    private static final SecureRandom RANDOM = new SecureRandom();

    private LegacyCipher() {
    }

    /**
     * The 32-byte key of a 43-character aesKey.
     *
     * @throws IllegalArgumentException naming the aesKey (never showing it) when it is not 43 Base64 characters
     */
    public static byte[] key(String aesKey) {
        Objects.requireNonNull(aesKey, "aesKey");
        byte[] key;
        try {
            key = aesKey.length() == AES_KEY_CHARS ? Base64.getDecoder().decode(aesKey + "=") : null;
        } catch (IllegalArgumentException e) {
            key = null;
        }
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("aesKey must be " + AES_KEY_CHARS + " Base64 characters");
        }
        return key;
    }

    /**
     * The {@code msg} JSON text inside {@code enc_msg}.
     *
     * @throws PushRejected {@code DECRYPT} when it is not Base64, the key does not fit, or the length field L does not
     *     fit the decrypted data; {@code MALFORMED} when the msg bytes are not UTF-8
     */
    public static String decrypt(String aesKey, String encMsg) {
        byte[] key = key(aesKey);
        byte[] plain = CipherSupport.decrypt(key, Arrays.copyOf(key, CipherSupport.BLOCK), CipherSupport.base64(encMsg, "enc_msg"),
                "enc_msg");
        if (plain.length < HEADER_BYTES) {
            throw new PushRejected(PushRejected.Reason.DECRYPT, "'enc_msg' decrypts to fewer than " + HEADER_BYTES + " bytes");
        }
        int length = ByteBuffer.wrap(plain, RANDOM_BYTES, 4).getInt();
        if (length < 0 || length > plain.length - HEADER_BYTES) {
            throw new PushRejected(PushRejected.Reason.DECRYPT, "'enc_msg' length field (" + length + ") does not fit the "
                    + (plain.length - HEADER_BYTES) + " decrypted bytes after it");
        }
        return CipherSupport.utf8(plain, HEADER_BYTES, length, "the decrypted 'enc_msg'");
    }

    /** {@code enc_msg} for a msg JSON text, with fresh random bytes and no trailing bytes. */
    public static String encrypt(String aesKey, String msgJson) {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return encrypt(aesKey, msgJson, random, new byte[0]);
    }

    /** {@code enc_msg} for a msg JSON text with the given 16 leading random bytes and trailing bytes. */
    public static String encrypt(String aesKey, String msgJson, byte[] random16, byte[] trailing) {
        if (random16.length != RANDOM_BYTES) {
            throw new IllegalArgumentException("random16 must be 16 bytes");
        }
        byte[] msg = msgJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer plain = ByteBuffer.allocate(HEADER_BYTES + msg.length + trailing.length);
        plain.put(random16).putInt(msg.length).put(msg).put(trailing);
        return encryptRaw(aesKey, plain.array());
    }

    /** {@code enc_msg} for an already laid out plaintext (lets tests build a wrong length field). */
    public static String encryptRaw(String aesKey, byte[] plaintext) {
        byte[] key = key(aesKey);
        return Base64.getEncoder().encodeToString(CipherSupport.encrypt(key, Arrays.copyOf(key, CipherSupport.BLOCK), plaintext));
    }
}
