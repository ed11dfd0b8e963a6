package io.thingport.api.message;

import java.util.List;

/** The platform asks a device for the current values of some properties. */
public record ReadProperties(MessageHeader header, List<String> properties) implements DeviceCommand {
    public ReadProperties {
        properties = List.copyOf(properties);
    }

    @Override
    public MessageType type() {
        return MessageType.READ_PROPERTIES;
    }

    @Override
    public ReadProperties withHeader(MessageHeader header) {
        return new ReadProperties(header, properties);
    }
}
