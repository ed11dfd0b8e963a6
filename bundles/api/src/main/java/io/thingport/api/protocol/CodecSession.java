package io.thingport.api.protocol;

import io.thingport.api.device.Product;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a codec may know about the connection a message travels on. The device id and product id are the
 * authenticated identity of the connection: a codec uses them to refuse messages for other devices.
 *
 * <p>Gateways speak for their sub-devices on their own connection. A codec that supports that decodes a sub-device's
 * message with the sub-device's id and a {@code null} product id in its header (a {@code RegisterRequest} of a
 * sub-device carries the product it asks to join instead); the platform checks that the sub-device is bound to this
 * session's device and fills in its product. Messages to a sub-device are encoded with this session, the gateway's,
 * and the sub-device's id in their header.
 */
@ProviderType
public interface CodecSession {
    String deviceId();

    String productId();

    Transport transport();

    /** {@code true} for a connection that authenticated with a product secret and may only register. */
    boolean registrationOnly();

    /**
     * The session's product, with its thing model and data format (a binary codec lays out data points from them).
     * Served from memory: safe on a network event loop.
     *
     * @return the product, or empty when it no longer exists (or outside the platform, e.g. in a codec's unit test)
     */
    default Optional<Product> product() {
        return Optional.empty();
    }
}
