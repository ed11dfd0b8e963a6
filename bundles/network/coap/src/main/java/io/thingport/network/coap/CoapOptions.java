package io.thingport.network.coap;

import org.eclipse.californium.core.coap.option.MapBasedOptionRegistry;
import org.eclipse.californium.core.coap.option.OptionRegistry;
import org.eclipse.californium.core.coap.option.StandardOptionRegistry;
import org.eclipse.californium.core.coap.option.StringOptionDefinition;

/**
 * The CoAP options that carry a device's credentials on a login request, and the session token on the requests after
 * it. The numbers are elective (even) and safe-to-forward (bit 1 clear) numbers that IANA has not assigned (range
 * 2048..64999), so a proxy or server that does not know them ignores them instead of refusing the request. The
 * credentials are strings of 0 to 1024 bytes (the password is passed on as its raw bytes), the token 0 to 255.
 */
final class CoapOptions {
    /** Option 2100: the client id. */
    public static final int CLIENT_ID_NUMBER = 2100;
    /** Option 2104: the user name. */
    public static final int USERNAME_NUMBER = 2104;
    /** Option 2108: the password. */
    public static final int PASSWORD_NUMBER = 2108;
    /** Option 2112: the session token a login's response gave the device. */
    public static final int SESSION_TOKEN_NUMBER = 2112;

    public static final StringOptionDefinition CLIENT_ID =
            new StringOptionDefinition(CLIENT_ID_NUMBER, "Thingport-Client-Id", true, 0, 1024);
    public static final StringOptionDefinition USERNAME =
            new StringOptionDefinition(USERNAME_NUMBER, "Thingport-Username", true, 0, 1024);
    public static final StringOptionDefinition PASSWORD =
            new StringOptionDefinition(PASSWORD_NUMBER, "Thingport-Password", true, 0, 1024);
    public static final StringOptionDefinition SESSION_TOKEN =
            new StringOptionDefinition(SESSION_TOKEN_NUMBER, "Thingport-Session-Token", true, 0, 255);

    /** The standard options plus the credential and token options; set on the server endpoint only. */
    static final OptionRegistry REGISTRY = new MapBasedOptionRegistry(StandardOptionRegistry.getDefaultOptionRegistry(),
            CLIENT_ID, USERNAME, PASSWORD, SESSION_TOKEN);

    private CoapOptions() {
    }
}
