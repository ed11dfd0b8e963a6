package io.thingport.api.protocol;

import java.util.Locale;

/**
 * Why a login was refused; {@link #badCredentials()} separates "wrong user name or password" from "not authorized".
 *
 * <p>The failure names the real reason for the operator (the device-auth log, karaf.log). A refused device is told
 * less: {@link #deviceCode()} and {@link #deviceMessage()}, which are the same for every bad-credentials failure, so
 * that a peer that has not proven it knows a device's secret cannot tell an unknown device from a wrong signature, a
 * stale timestamp, a replayed login or a client certificate not bound to the device (MQTT answers all of them CONNACK
 * 0x04 as well). The failures that are not bad credentials keep their own code: authenticators report them only once
 * the device has proven its identity.
 */
public enum AuthFailure {
    MALFORMED_CREDENTIALS(true, null),
    UNKNOWN_DEVICE(true, null),
    UNKNOWN_PRODUCT(true, null),
    BAD_SIGNATURE(true, null),
    STALE_TIMESTAMP(true, null),
    /**
     * A client certificate that the component's trusted CA verified but that no operator bound to the device it names
     * ({@link AuthContext#certificateBound}).
     */
    UNBOUND_CERTIFICATE(true, null),
    DISABLED_DEVICE(false, "the device is disabled"),
    REGISTRATION_NOT_ALLOWED(false, "the product does not allow dynamic registration"),
    NOT_AUTHORIZED(false, "not authorized"),
    /**
     * The platform is at its bound of logins waiting to be checked ({@code logins.maxQueued}); the credentials were
     * not looked at. Transports answer "server unavailable" (MQTT CONNACK 0x03 / MQTT 5 0x89 server busy, HTTP 503, CoAP 5.03).
     */
    SERVER_BUSY(false, "the server is busy, try again later");

    /** The code a device is told for every bad-credentials failure ({@link #deviceCode()}). */
    public static final String BAD_CREDENTIALS_CODE = "bad_credentials";
    /** The message a device is told for every bad-credentials failure ({@link #deviceMessage()}). */
    public static final String BAD_CREDENTIALS_MESSAGE = "bad user name or password";

    private final boolean badCredentials;
    private final String message;

    AuthFailure(boolean badCredentials, String message) {
        this.badCredentials = badCredentials;
        this.message = message;
    }

    /** {@code true}: MQTT 3.1.1 CONNACK 0x04 / MQTT 5 0x86; {@code false}: 0x05 / 0x87. */
    public boolean badCredentials() {
        return badCredentials;
    }

    /**
     * The error code the refused device is told (HTTP and CoAP bodies, login reply frames): {@value #BAD_CREDENTIALS_CODE}
     * for every bad-credentials failure, else the failure's name in lower case ({@code disabled_device}, ...).
     */
    public String deviceCode() {
        return badCredentials ? BAD_CREDENTIALS_CODE : name().toLowerCase(Locale.ROOT);
    }

    /**
     * The fixed text the refused device is told with {@link #deviceCode()}: {@value #BAD_CREDENTIALS_MESSAGE} for every
     * bad-credentials failure. Never the {@link AuthResult#detail() detail}, which is for the operator only.
     */
    public String deviceMessage() {
        return badCredentials ? BAD_CREDENTIALS_MESSAGE : message;
    }
}
