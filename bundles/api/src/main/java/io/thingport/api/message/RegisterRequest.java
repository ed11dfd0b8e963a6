package io.thingport.api.message;

/** A device that knows only its product secret asks for its own device secret (dynamic registration). */
public record RegisterRequest(MessageHeader header) implements DeviceMessage {
    @Override
    public MessageType type() {
        return MessageType.REGISTER;
    }

    @Override
    public RegisterRequest withHeader(MessageHeader header) {
        return new RegisterRequest(header);
    }
}
