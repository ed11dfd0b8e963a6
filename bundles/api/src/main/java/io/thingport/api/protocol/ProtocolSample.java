package io.thingport.api.protocol;

import java.util.Objects;

/**
 * An uplink a protocol package ships as a self-test: before a package (or a new version of it) goes live, the
 * platform decodes every sample and refuses the package when the codec throws anything but a
 * {@link CodecException}, or returns nothing.
 *
 * @param transport the transport whose codec decodes it
 * @param productId the product the sample's device belongs to (the session's product is empty during the check)
 * @param deviceId  the device the sample's session is authenticated as
 * @param uplink    the bytes as the transport delivers them
 */
public record ProtocolSample(Transport transport, String productId, String deviceId, EncodedMessage uplink) {
    public ProtocolSample {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(uplink, "uplink");
    }
}
