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
}
