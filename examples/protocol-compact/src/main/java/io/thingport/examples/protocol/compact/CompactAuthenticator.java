package io.thingport.examples.protocol.compact;

import io.thingport.api.protocol.AuthContext;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.DeviceCredentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the LOGIN frame {@code 0x01 [u8 idLen][deviceId][u64 timestamp ms][32 bytes HMAC-SHA256]}, the HMAC keyed
 * with the device secret (UTF-8) over {@code deviceId|timestamp} (timestamp in decimal).
 *
 * <p>Order of the checks: the frame parses (else MALFORMED_CREDENTIALS), the timestamp is within ±5 minutes of the
 * platform clock (STALE_TIMESTAMP), the device exists (UNKNOWN_DEVICE), the HMAC matches, compared in constant time
 * (BAD_SIGNATURE), the device is enabled (DISABLED_DEVICE, told only to a device that proved it knows the secret), and
 * the timestamp is newer than the device's last accepted login (STALE_TIMESTAMP), so that a captured login frame
 * cannot be replayed. That last timestamp is the platform's ({@link AuthContext#recordLogin}): it survives restarts and
 * updates of this package.
 */
final class CompactAuthenticator implements Authenticator {
    static final long WINDOW_MS = 5 * 60 * 1000L;

    @Override
    public AuthResult authenticate(AuthRequest request, AuthContext context) {
        FrameReader r = new FrameReader(request.frame());
        String deviceId = null;
        long timestamp;
        byte[] signature;
        try {
            int type = r.u8("the frame type");
            if (type != CompactFrames.LOGIN) {
                throw r.malformed(0, "expected the LOGIN frame type 0x01 as the first frame, found "
                        + CompactFrames.hex(type));
            }
            deviceId = r.shortString("the device id");
            timestamp = r.i64("the timestamp in epoch ms");
            signature = r.bytes(CompactFrames.HMAC_LENGTH, "the HMAC-SHA256");
            r.end("the HMAC-SHA256");
        } catch (CodecException e) {
            return AuthResult.refuse(AuthFailure.MALFORMED_CREDENTIALS, deviceId, "LOGIN frame: " + e.getMessage());
        }

        long skew = timestamp - context.now();
        if (timestamp < 0 || Math.abs(skew) > WINDOW_MS) {
            return AuthResult.refuse(AuthFailure.STALE_TIMESTAMP, deviceId, "timestamp " + Long.toUnsignedString(timestamp)
                    + (timestamp < 0 ? " is not a plausible epoch millisecond time"
                    : " is " + Math.abs(skew) / 1000 + " s " + (skew < 0 ? "behind" : "ahead of") + " the platform clock")
                    + " (allowed: 300 s)");
        }
        Optional<DeviceCredentials> device = context.device(deviceId);
        if (device.isEmpty()) {
            return AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, deviceId, "unknown device " + deviceId);
        }
        String secret = device.get().secret();
        if (secret == null || secret.isEmpty()) {
            return AuthResult.refuse(AuthFailure.BAD_SIGNATURE, deviceId, "device " + deviceId + " has no secret");
        }
        byte[] expected = hmacSha256(secret, deviceId + "|" + timestamp);
        if (!MessageDigest.isEqual(expected, signature)) {
            return AuthResult.refuse(AuthFailure.BAD_SIGNATURE, deviceId, "bad signature");
        }
        if (!device.get().enabled()) {
            return AuthResult.refuse(AuthFailure.DISABLED_DEVICE, deviceId, "device " + deviceId + " is disabled");
        }
        if (!context.recordLogin(deviceId, timestamp)) {
            return AuthResult.refuse(AuthFailure.STALE_TIMESTAMP, deviceId, "replayed login: timestamp " + timestamp
                    + " is not newer than the device's last accepted login");
        }
        return AuthResult.accept(deviceId, device.get().productId());
    }

    /** HMAC-SHA256 with key = {@code secret} as UTF-8 over {@code data} as UTF-8. */
    static byte[] hmacSha256(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
