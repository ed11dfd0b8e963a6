package io.thingport.bridge.onenet;

import io.thingport.bridge.support.PushRejected;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-CBC with PKCS#7 padding (Java's "PKCS5Padding" is PKCS#7 for 16-byte blocks), Base64 and strict UTF-8. */
final class CipherSupport {
    static final int BLOCK = 16;
    private static final String TRANSFORMATION = "AES/CBC/PKCS5Padding";

    private CipherSupport() {
    }

    static byte[] decrypt(byte[] key, byte[] iv, byte[] ciphertext, String field) {
        if (ciphertext.length == 0 || ciphertext.length % BLOCK != 0) {
            throw new PushRejected(PushRejected.Reason.DECRYPT,
                    "'" + field + "' is not AES-CBC ciphertext (its length is not a positive multiple of 16 bytes)");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            // BadPaddingException and friends: the key is wrong or the data damaged; neither is shown to the caller.
            throw new PushRejected(PushRejected.Reason.DECRYPT,
                    "'" + field + "' cannot be decrypted with the configured aesKey (wrong key or damaged data)");
        }
    }

    static byte[] encrypt(byte[] key, byte[] iv, byte[] plaintext) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC encryption failed", e);
        }
    }

    static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new PushRejected(PushRejected.Reason.DECRYPT, "'" + field + "' is not Base64");
        }
    }

    static String utf8(byte[] bytes, int offset, int length, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw PushRejected.malformed(what + " is not valid UTF-8");
        }
    }
}
