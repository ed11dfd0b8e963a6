package io.thingport.api.message;

/** A downlink the device must answer with a {@link DeviceReply} carrying the same messageId. */
public sealed interface DeviceCommand extends DeviceMessage permits ReadProperties, WriteProperties, InvokeFunction {
}
