package io.thingport.api.protocol;

import java.util.Objects;

/**
 * The outcome of a login. Accepted results name the device (and its product); a registration-only result lets the
 * connection do nothing but dynamic registration for {@code deviceId}. Refused results name the failure and a
 * human-readable detail for the device-auth log.
 */
public record AuthResult(boolean accepted, String deviceId, String productId, boolean registrationOnly,
                         AuthFailure failure, String detail) {

    public static AuthResult accept(String deviceId, String productId) {
        return new AuthResult(true, Objects.requireNonNull(deviceId), Objects.requireNonNull(productId), false, null, "");
    }

    public static AuthResult registration(String deviceId, String productId) {
        return new AuthResult(true, Objects.requireNonNull(deviceId), Objects.requireNonNull(productId), true, null, "");
    }

    /** @param deviceId the device the connection claimed to be, if known (for the log), else {@code null} */
    public static AuthResult refuse(AuthFailure failure, String deviceId, String detail) {
        return new AuthResult(false, deviceId, null, false, Objects.requireNonNull(failure), detail);
    }
}
