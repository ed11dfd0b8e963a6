package io.thingport.api.message;

import java.util.Map;

/** The platform sets writable properties on a device. */
public record WriteProperties(MessageHeader header, Map<String, Object> properties) implements DeviceCommand {
    public WriteProperties {
        properties = Messages.copy(properties);
    }

    @Override
    public MessageType type() {
        return MessageType.WRITE_PROPERTIES;
    }

    @Override
    public WriteProperties withHeader(MessageHeader header) {
        return new WriteProperties(header, properties);
    }
}
