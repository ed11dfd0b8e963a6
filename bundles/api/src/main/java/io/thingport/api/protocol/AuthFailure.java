package io.thingport.api.protocol;

/** Why a login was refused; {@link #badCredentials()} separates "wrong user name or password" from "not authorized". */
public enum AuthFailure {
    MALFORMED_CREDENTIALS(true),
    UNKNOWN_DEVICE(true),
    UNKNOWN_PRODUCT(true),
    BAD_SIGNATURE(true),
    STALE_TIMESTAMP(true),
    DISABLED_DEVICE(false),
    REGISTRATION_NOT_ALLOWED(false),
    NOT_AUTHORIZED(false);

    private final boolean badCredentials;

    AuthFailure(boolean badCredentials) {
        this.badCredentials = badCredentials;
    }

    /** {@code true}: MQTT 3.1.1 CONNACK 0x04 / MQTT 5 0x86; {@code false}: 0x05 / 0x87. */
    public boolean badCredentials() {
        return badCredentials;
    }
}
