package io.thingport.protocol.gizwits;

import io.thingport.api.protocol.AuthContext;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.DeviceCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Gizwits-style MQTT credentials: client id = device id, user name = product id, password = the device secret
 * (compared in constant time, by their SHA-256 digests). The Gizwits password is the secret itself, valid for ever: a
 * captured login can be replayed on every transport (use TLS); the official protocol's signed timestamps cannot.
 */
public final class GizwitsAuthenticator implements Authenticator {

    @Override
    public AuthResult authenticate(AuthRequest request, AuthContext context) {
        String deviceId = request.clientId();
        String productId = request.username();
        if (request.frame().length > 0) {
            return AuthResult.refuse(AuthFailure.MALFORMED_CREDENTIALS, null,
                    "the Gizwits protocol logs in with MQTT CONNECT (client id, user name, password), not with a frame");
        }
        if (deviceId.isEmpty() || productId.isEmpty()) {
            return AuthResult.refuse(AuthFailure.MALFORMED_CREDENTIALS, deviceId.isEmpty() ? null : deviceId,
                    "client id must be the device id and user name the product id");
        }
        Optional<DeviceCredentials> device = context.device(deviceId);
        // Compared for an unknown device too, so that every refusal before the password takes the same time.
        boolean matches = matches(device.map(DeviceCredentials::secret).orElse(null), request.password());
        if (device.isEmpty()) {
            return AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, deviceId, "unknown device " + deviceId);
        }
        if (!device.get().productId().equals(productId)) {
            return AuthResult.refuse(AuthFailure.UNKNOWN_PRODUCT, deviceId, context.product(productId).isEmpty()
                    ? "unknown product " + productId + " (user name)"
                    : "device " + deviceId + " is not a device of product " + productId + " (user name)");
        }
        if (!matches) {
            return AuthResult.refuse(AuthFailure.BAD_SIGNATURE, deviceId, "wrong password: it must be the device secret");
        }
        if (!device.get().enabled()) {
            return AuthResult.refuse(AuthFailure.DISABLED_DEVICE, deviceId, "device " + deviceId + " is disabled");
        }
        return AuthResult.accept(deviceId, productId);
    }

    /**
     * Whether {@code password} is the secret, in constant time: the SHA-256 digests are compared, so that not even the
     * secret's length shows in the time a wrong password takes. No secret (or an empty one) matches nothing.
     */
    static boolean matches(String secret, byte[] password) {
        if (secret == null || secret.isEmpty() || password.length == 0) {
            sha256(password);
            return false;
        }
        return MessageDigest.isEqual(sha256(secret.getBytes(StandardCharsets.UTF_8)), sha256(password));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
