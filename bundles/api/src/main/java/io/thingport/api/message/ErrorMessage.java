package io.thingport.api.message;

import io.thingport.api.ErrorCode;

/**
 * The platform tells a device that an uplink was rejected: which message ({@code messageId}, may be empty when the
 * payload could not be parsed), on which {@code topic}, and why ({@code code}, a {@code message} naming the field and
 * the rule).
 */
public record ErrorMessage(MessageHeader header, ErrorCode code, String message, String topic) implements DeviceMessage {
    @Override
    public MessageType type() {
        return MessageType.ERROR;
    }

    @Override
    public ErrorMessage withHeader(MessageHeader header) {
        return new ErrorMessage(header, code, message, topic);
    }
}
