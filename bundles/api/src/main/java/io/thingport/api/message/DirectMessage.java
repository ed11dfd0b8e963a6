package io.thingport.api.message;

/** Raw bytes passed through unchanged, in either direction. */
public record DirectMessage(MessageHeader header, byte[] payload) implements DeviceMessage {
    public DirectMessage {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public MessageType type() {
        return MessageType.DIRECT;
    }

    @Override
    public DirectMessage withHeader(MessageHeader header) {
        return new DirectMessage(header, payload);
    }
}
