package io.thingport.api.message;

import java.util.Objects;

/** A device raises an event; {@code data} is a scalar or an object, checked against the event's output type. */
public record DeviceEvent(MessageHeader header, String eventId, Object data) implements DeviceMessage {
    public DeviceEvent {
        Objects.requireNonNull(eventId, "eventId");
    }

    @Override
    public MessageType type() {
        return MessageType.EVENT;
    }

    @Override
    public DeviceEvent withHeader(MessageHeader header) {
        return new DeviceEvent(header, eventId, data);
    }
}
