package io.thingport.api.message;

/** A device went offline, with the reason (closed by the device, keep-alive timeout, taken over, ...). */
public record DeviceOffline(MessageHeader header, String reason) implements DeviceMessage {
    @Override
    public MessageType type() {
        return MessageType.OFFLINE;
    }

    @Override
    public DeviceOffline withHeader(MessageHeader header) {
        return new DeviceOffline(header, reason);
    }
}
