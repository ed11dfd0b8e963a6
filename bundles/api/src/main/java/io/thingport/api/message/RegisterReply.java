package io.thingport.api.message;

import io.thingport.api.Secrets;

/** The platform's answer to a {@link RegisterRequest}; {@code deviceSecret} is set on success only. */
public record RegisterReply(MessageHeader header, boolean success, String code, String message, String deviceSecret)
        implements DeviceReply {
    @Override
    public MessageType type() {
        return MessageType.REGISTER_REPLY;
    }

    /** As the generated one, but the device secret masked ({@link Secrets#mask}). */
    @Override
    public String toString() {
        return "RegisterReply[header=" + header + ", success=" + success + ", code=" + code + ", message=" + message
                + ", deviceSecret=" + Secrets.mask(deviceSecret) + "]";
    }

    @Override
    public RegisterReply withHeader(MessageHeader header) {
        return new RegisterReply(header, success, code, message, deviceSecret);
    }
}
