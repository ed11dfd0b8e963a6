package io.thingport.api.device;

import io.thingport.api.Secrets;
import io.thingport.api.access.RequestSignature;
import java.util.Objects;

/**
 * The credentials of one official-protocol login (MQTT CONNECT, and the same values on the other transports):
 * clientId {@code deviceId}, username {@code deviceId|timestampMs}, password the lowercase hex HMAC-SHA256 of the
 * username keyed with the device secret. A login is good for one connection: the platform refuses a timestamp that is
 * not newer than the last accepted one.
 */
public record SignedLogin(String clientId, String username, String password) {
    public SignedLogin {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** Signs a login as the official protocol defines it; the one implementation of that rule for whoever holds a secret. */
    public static SignedLogin sign(String deviceId, String secret, long timestampMs) {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(secret, "secret");
        String username = deviceId + "|" + timestampMs;
        return new SignedLogin(deviceId, username, RequestSignature.hmac(secret, username));
    }

    /** As the generated one, but the password masked: it is as good as the secret for a few minutes. */
    @Override
    public String toString() {
        return "SignedLogin[clientId=" + clientId + ", username=" + username + ", password=" + Secrets.mask(password) + "]";
    }
}
