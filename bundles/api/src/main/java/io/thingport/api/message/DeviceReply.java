package io.thingport.api.message;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The answer to a {@link DeviceCommand} (or to a registration). A reply without {@code success} on the wire counts
 * as a success (JetLinks compatibility); a failed reply carries the device's {@code code} and {@code message}.
 */
@ProviderType // sealed: every implementation is in this package
public sealed interface DeviceReply extends DeviceMessage
        permits ReadPropertiesReply, WritePropertiesReply, InvokeFunctionReply, RegisterReply {

    boolean success();

    /** The device's error code when {@link #success()} is false, else {@code null}. */
    String code();

    /** The device's error text when {@link #success()} is false, else {@code null}. */
    String message();

    @Override
    DeviceReply withHeader(MessageHeader header);
}
