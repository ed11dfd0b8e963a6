package io.thingport.api.protocol;

import java.util.Objects;

/**
 * The outcome of a login. Accepted results name the device (and its product); a registration-only result lets the
 * connection do nothing but dynamic registration for {@code deviceId}. Refused results name the failure and a
 * human-readable detail for the device-auth log; the device itself is told only what the failure's
 * {@link AuthFailure#deviceCode()} and {@link AuthFailure#deviceMessage()} say.
 *
 * @param reply what a transport without a login handshake (TCP, UDP, WebSocket) sends the device to answer its login
 *              frame, or {@code null}; the platform fills it from {@link DeviceCodec#loginReply(AuthResult)}
 */
public record AuthResult(boolean accepted, String deviceId, String productId, boolean registrationOnly,
                         AuthFailure failure, String detail, EncodedMessage reply) {

    public AuthResult(boolean accepted, String deviceId, String productId, boolean registrationOnly, AuthFailure failure,
                      String detail) {
        this(accepted, deviceId, productId, registrationOnly, failure, detail, null);
    }

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

    /** This result with the login reply a frame transport sends to the device. */
    public AuthResult withReply(EncodedMessage loginReply) {
        return new AuthResult(accepted, deviceId, productId, registrationOnly, failure, detail, loginReply);
    }
}
