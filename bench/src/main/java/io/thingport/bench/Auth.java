package io.thingport.bench;

import io.thingport.api.access.RequestSignature;
import io.thingport.api.device.SignedLogin;

/**
 * Thingport device login credentials (the platform's official protocol): clientId = deviceId, username =
 * {@code deviceId|timestampMs}, password = lowercase hex HMAC-SHA256(key = secret UTF-8, data = username UTF-8). The
 * rule itself is the API's {@link SignedLogin#sign} (what the platform's virtual devices use too); these helpers give
 * the TCP and CoAP clients its parts.
 */
final class Auth {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Auth() {
    }

    /** A signed login for the device at the given time. */
    static SignedLogin login(Device device, long timestampMs) {
        return SignedLogin.sign(device.id(), device.secret(), timestampMs);
    }

    static String username(String deviceId, long timestampMs) {
        return deviceId + "|" + timestampMs;
    }

    static String password(String secret, String username) {
        return RequestSignature.hmac(secret, username);
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
