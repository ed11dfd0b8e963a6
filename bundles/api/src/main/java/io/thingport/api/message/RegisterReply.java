package io.thingport.api.message;

/** The platform's answer to a {@link RegisterRequest}; {@code deviceSecret} is set on success only. */
public record RegisterReply(MessageHeader header, boolean success, String code, String message, String deviceSecret)
        implements DeviceReply {
    @Override
    public MessageType type() {
        return MessageType.REGISTER_REPLY;
    }
}
