package io.thingport.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Thingport device login credentials (the platform's official MQTT protocol):
 * clientId = deviceId, username = {@code deviceId|timestampMs},
 * password = lowercase hex HMAC-SHA256(key = secret UTF-8, data = username UTF-8).
 */
final class Auth {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 not available", e);
        }
    });

    private Auth() {
    }

    static String username(String deviceId, long timestampMs) {
        return deviceId + "|" + timestampMs;
    }

    static String password(String secret, String username) {
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return hex(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }
}
