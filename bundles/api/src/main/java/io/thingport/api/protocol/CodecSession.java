package io.thingport.api.protocol;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a codec may know about the connection a message travels on. The device id and product id are the
 * authenticated identity of the connection: a codec uses them to refuse messages for other devices.
 */
@ProviderType
public interface CodecSession {
    String deviceId();

    String productId();

    Transport transport();

    /** {@code true} for a connection that authenticated with a product secret and may only register. */
    boolean registrationOnly();
}
