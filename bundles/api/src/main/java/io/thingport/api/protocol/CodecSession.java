package io.thingport.api.protocol;

import io.thingport.api.device.Product;
import java.util.Optional;
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
