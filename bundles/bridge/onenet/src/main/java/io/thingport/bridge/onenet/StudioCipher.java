package io.thingport.bridge.onenet;

import io.thingport.bridge.support.PushRejected;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * OneNET Studio's secure push mode: {@code msg} = Base64(AES-128-CBC/PKCS#7 of the msg JSON text), key = the 16 bytes
 * of the aesKey, IV = the same 16 bytes. How the aesKey string becomes 16 bytes is
 * {@link OneNetUnverified#STUDIO_AES_KEY_CHARSET} (unverified).
 */
public final class StudioCipher {
    /** The length of a Studio aesKey. */
    public static final int AES_KEY_CHARS = 16;

    private StudioCipher() {
    }

    /**
     * The 16 key bytes of an aesKey.
     *
     * @throws IllegalArgumentException naming the aesKey (never showing it) when it does not give 16 bytes
     */
    public static byte[] key(String aesKey) {
        Objects.requireNonNull(aesKey, "aesKey");
        byte[] key = aesKey.getBytes(OneNetUnverified.STUDIO_AES_KEY_CHARSET);
        if (aesKey.length() != AES_KEY_CHARS || key.length != AES_KEY_CHARS) {
            throw new IllegalArgumentException("aesKey must be " + AES_KEY_CHARS + " ASCII characters");
        }
        return key;
    }

    /**
     * The msg JSON text of a secure-mode {@code msg}.
     *
     * @throws PushRejected {@code DECRYPT} when it is not Base64 or the key does not fit; {@code MALFORMED} when the
     *     plaintext is not UTF-8
     */
    public static String decrypt(String aesKey, String msg) {
        byte[] key = key(aesKey);
        byte[] plain = CipherSupport.decrypt(key, key, CipherSupport.base64(msg, "msg"), "msg");
        return CipherSupport.utf8(plain, 0, plain.length, "the decrypted 'msg'");
    }

    /** The secure-mode {@code msg} of a msg JSON text. */
    public static String encrypt(String aesKey, String msgJson) {
        byte[] key = key(aesKey);
        return Base64.getEncoder().encodeToString(CipherSupport.encrypt(key, key, msgJson.getBytes(StandardCharsets.UTF_8)));
    }
}
