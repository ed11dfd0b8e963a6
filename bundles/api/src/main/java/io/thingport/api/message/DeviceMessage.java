package io.thingport.api.message;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A message between the platform and one device, independent of transport and protocol. Protocol codecs turn bytes
 * into these ({@code decode}) and these into bytes ({@code encode}); everything inside the platform works on them.
 * The hierarchy is sealed: a codec handles every kind, and the compiler tells when a new kind appears.
 */
@ProviderType // sealed: every implementation is in this package
public sealed interface DeviceMessage
        permits DeviceCommand, DeviceReply, ReportProperties, DeviceEvent, DeviceOnline, DeviceOffline,
        RegisterRequest, DirectMessage, ErrorMessage, ShadowRequest, ShadowReply {

    MessageHeader header();

    MessageType type();

    /** The same message with another header (the platform fills in a sub-device's product this way). */
    DeviceMessage withHeader(MessageHeader header);

    default String messageId() {
        return header().messageId();
    }

    default String deviceId() {
        return header().deviceId();
    }

    default String productId() {
        return header().productId();
    }

    default long timestamp() {
        return header().timestamp();
    }
}
