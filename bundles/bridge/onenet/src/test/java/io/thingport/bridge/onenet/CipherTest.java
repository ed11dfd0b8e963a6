package io.thingport.bridge.onenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.bridge.support.PushRejected;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CipherTest {
    /** 32 bytes 0..31 as a 43-character aesKey (Base64 without its trailing '='). */
    static final String LEGACY_KEY = Base64.getEncoder().encodeToString(range(32)).substring(0, 43);
    static final String OTHER_LEGACY_KEY = Base64.getEncoder().encodeToString(new byte[32]).substring(0, 43);
    static final String STUDIO_KEY = "0123456789abcdef";

    @Test
    void legacyKeyIsTheBase64OfTheAesKeyWithEqualsSign() {
        // Verifies that key = Base64Decode(aesKey + "=") is 32 bytes and a key of another length is refused unseen.
        // GIVEN a 43-character aesKey
        // WHEN its key is taken THEN it is the 32 original bytes
        assertThat(LegacyCipher.key(LEGACY_KEY)).isEqualTo(range(32));
        assertThatThrownBy(() -> LegacyCipher.key("abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("aesKey must be 43 Base64 characters");
    }

    @Test
    void legacyRoundTripKeepsMsgAndIgnoresTrailingBytes() {
        // Verifies that enc_msg made as documented (random | length | msg | trailing) decrypts to msg exactly.
        // GIVEN a msg with non-ASCII text, encrypted with trailing bytes after it
        String msg = "{\"type\":1,\"ds_id\":\"温度\",\"value\":42}";
        String encMsg = LegacyCipher.encrypt(LEGACY_KEY, msg, new byte[16], "appid-trailer".getBytes(StandardCharsets.UTF_8));
        // WHEN decrypted THEN msg comes back
        assertThat(LegacyCipher.decrypt(LEGACY_KEY, encMsg)).isEqualTo(msg);
    }

    @Test
    void legacyCiphertextIsAes256CbcWithTheKeysFirst16BytesAsIv() {
        // Verifies the layout independently: the first block decrypts, with IV = key[0..16], to the 16 random bytes.
        // GIVEN a known random prefix
        byte[] random = "RANDOM-PREFIX-16".getBytes(StandardCharsets.US_ASCII);
        String encMsg = LegacyCipher.encrypt(LEGACY_KEY, "{}", random, new byte[0]);
        // WHEN decrypted by plain JCA with the documented key and IV
        byte[] plain = JcaAes.decrypt(range(32), Arrays.copyOf(range(32), 16), Base64.getDecoder().decode(encMsg));
        // THEN the layout is random | 00 00 00 02 | "{}"
        assertThat(Arrays.copyOf(plain, 16)).isEqualTo(random);
        assertThat(ByteBuffer.wrap(plain, 16, 4).getInt()).isEqualTo(2);
        assertThat(new String(plain, 20, 2, StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void aWrongLegacyKeyIsADecryptRejection() {
        // Verifies that decrypting with another key is a DECRYPT rejection, not a padding exception.
        // GIVEN enc_msg made with one key
        String encMsg = LegacyCipher.encrypt(LEGACY_KEY, "{\"type\":1}");
        // WHEN decrypted with another THEN it is a DECRYPT rejection naming enc_msg
        assertThatThrownBy(() -> LegacyCipher.decrypt(OTHER_LEGACY_KEY, encMsg))
                .isInstanceOfSatisfying(PushRejected.class, e -> assertThat(e.reason()).isEqualTo(PushRejected.Reason.DECRYPT))
                .hasMessageContaining("'enc_msg'")
                .hasMessageNotContaining(OTHER_LEGACY_KEY);
    }

    @Test
    void aLengthFieldBeyondThePlaintextIsRejected() {
        // Verifies that a length field L larger than the bytes after it is a DECRYPT rejection naming the length.
        // GIVEN a plaintext claiming 1000 bytes of msg but holding 2
        ByteBuffer plain = ByteBuffer.allocate(22).put(new byte[16]).putInt(1000).put("{}".getBytes(StandardCharsets.UTF_8));
        String encMsg = LegacyCipher.encryptRaw(LEGACY_KEY, plain.array());
        // WHEN decrypted THEN it is rejected
        assertThatThrownBy(() -> LegacyCipher.decrypt(LEGACY_KEY, encMsg))
                .isInstanceOfSatisfying(PushRejected.class, e -> assertThat(e.reason()).isEqualTo(PushRejected.Reason.DECRYPT))
                .hasMessageContaining("length field (1000)");
    }

    @Test
    void aNegativeLengthFieldOrAShortPlaintextIsRejected() {
        // Verifies that L < 0 and a plaintext shorter than the 20-byte header are DECRYPT rejections.
        // GIVEN L = -1, and a 10-byte plaintext
        String negative = LegacyCipher.encryptRaw(LEGACY_KEY, ByteBuffer.allocate(20).put(new byte[16]).putInt(-1).array());
        String shortOne = LegacyCipher.encryptRaw(LEGACY_KEY, new byte[10]);
        // WHEN decrypted THEN both are rejected
        assertThatThrownBy(() -> LegacyCipher.decrypt(LEGACY_KEY, negative)).hasMessageContaining("length field (-1)");
        assertThatThrownBy(() -> LegacyCipher.decrypt(LEGACY_KEY, shortOne)).hasMessageContaining("fewer than 20 bytes");
    }

    @Test
    void encMsgThatIsNotBase64OrNotWholeBlocksIsRejected() {
        // Verifies that non-Base64 text and a ciphertext that is not whole AES blocks are DECRYPT rejections.
        assertThatThrownBy(() -> LegacyCipher.decrypt(LEGACY_KEY, "***"))
                .isInstanceOf(PushRejected.class).hasMessageContaining("'enc_msg' is not Base64");
        assertThatThrownBy(() -> LegacyCipher.decrypt(LEGACY_KEY, Base64.getEncoder().encodeToString(new byte[17])))
                .isInstanceOf(PushRejected.class).hasMessageContaining("multiple of 16");
    }

    @Test
    void studioRoundTripUsesTheKeyAsIv() {
        // Verifies that secure-mode msg is AES-128-CBC with key = IV = the aesKey's 16 bytes, and decrypts back.
        // GIVEN a msg
        String msg = "{\"messageType\":\"lifeCycle\"}";
        // WHEN encrypted
        String encrypted = StudioCipher.encrypt(STUDIO_KEY, msg);
        // THEN plain JCA with key = IV = the UTF-8 bytes of the aesKey reads it, and so does decrypt
        byte[] key = STUDIO_KEY.getBytes(StandardCharsets.UTF_8);
        assertThat(new String(JcaAes.decrypt(key, key, Base64.getDecoder().decode(encrypted)), StandardCharsets.UTF_8)).isEqualTo(msg);
        assertThat(StudioCipher.decrypt(STUDIO_KEY, encrypted)).isEqualTo(msg);
    }

    @Test
    void aWrongStudioKeyIsADecryptRejection() {
        // Verifies that a wrong Studio key gives a DECRYPT rejection, and that a key of another length is refused.
        // GIVEN a msg encrypted with one key
        String encrypted = StudioCipher.encrypt(STUDIO_KEY, "{\"messageType\":\"lifeCycle\",\"data\":{}}");
        // WHEN decrypted with another THEN DECRYPT
        assertThatThrownBy(() -> StudioCipher.decrypt("fedcba9876543210", encrypted))
                .isInstanceOfSatisfying(PushRejected.class, e -> assertThat(e.reason()).isEqualTo(PushRejected.Reason.DECRYPT));
        assertThatThrownBy(() -> StudioCipher.key("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("aesKey must be 16 ASCII characters");
    }

    static byte[] range(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
