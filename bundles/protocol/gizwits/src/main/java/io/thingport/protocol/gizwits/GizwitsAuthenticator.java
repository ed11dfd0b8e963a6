package io.thingport.protocol.gizwits;

import io.thingport.api.protocol.AuthContext;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.DeviceCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Gizwits-style MQTT credentials: client id = device id, user name = product id, password = the device secret
 * (compared in constant time).
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
        if (device.isEmpty()) {
            return AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, deviceId, "unknown device " + deviceId);
        }
        if (!device.get().productId().equals(productId)) {
            return AuthResult.refuse(AuthFailure.UNKNOWN_PRODUCT, deviceId, context.product(productId).isEmpty()
                    ? "unknown product " + productId + " (user name)"
                    : "device " + deviceId + " is not a device of product " + productId + " (user name)");
        }
        byte[] secret = device.get().secret() == null ? new byte[0] : device.get().secret().getBytes(StandardCharsets.UTF_8);
        byte[] password = request.password();
        if (password.length == 0 || !MessageDigest.isEqual(secret, password)) {
            return AuthResult.refuse(AuthFailure.BAD_SIGNATURE, deviceId, "wrong password: it must be the device secret");
        }
        if (!device.get().enabled()) {
            return AuthResult.refuse(AuthFailure.DISABLED_DEVICE, deviceId, "device " + deviceId + " is disabled");
        }
        return AuthResult.accept(deviceId, productId);
    }
}
