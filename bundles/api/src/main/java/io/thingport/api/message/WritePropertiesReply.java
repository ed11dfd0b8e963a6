package io.thingport.api.message;

import java.util.Map;

/** A device answers a {@link WriteProperties}, optionally with the values now in effect. */
public record WritePropertiesReply(MessageHeader header, boolean success, String code, String message,
                                   Map<String, Object> properties) implements DeviceReply {
    public WritePropertiesReply {
        properties = Messages.copy(properties);
    }

    @Override
    public MessageType type() {
        return MessageType.WRITE_PROPERTIES_REPLY;
    }

    @Override
    public WritePropertiesReply withHeader(MessageHeader header) {
        return new WritePropertiesReply(header, success, code, message, properties);
    }
}
