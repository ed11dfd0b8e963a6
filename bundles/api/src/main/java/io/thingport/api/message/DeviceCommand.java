package io.thingport.api.message;

import org.osgi.annotation.versioning.ProviderType;

/** A downlink the device must answer with a {@link DeviceReply} carrying the same messageId. */
@ProviderType // sealed: every implementation is in this package
public sealed interface DeviceCommand extends DeviceMessage permits ReadProperties, WriteProperties, InvokeFunction {

    @Override
    DeviceCommand withHeader(MessageHeader header);
}
