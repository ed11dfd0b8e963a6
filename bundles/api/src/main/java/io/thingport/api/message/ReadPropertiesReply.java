package io.thingport.api.message;

import java.util.Map;

/** A device answers a {@link ReadProperties} with the values read. */
public record ReadPropertiesReply(MessageHeader header, boolean success, String code, String message,
                                  Map<String, Object> properties) implements DeviceReply {
    public ReadPropertiesReply {
        properties = Messages.copy(properties);
    }

    @Override
    public MessageType type() {
        return MessageType.READ_PROPERTIES_REPLY;
    }

    @Override
    public ReadPropertiesReply withHeader(MessageHeader header) {
        return new ReadPropertiesReply(header, success, code, message, properties);
    }
}
