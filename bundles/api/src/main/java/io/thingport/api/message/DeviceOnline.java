package io.thingport.api.message;

/** A device came online (a connection was authenticated, or a gateway reported a sub-device online). */
public record DeviceOnline(MessageHeader header, String node, String remoteAddress) implements DeviceMessage {
    @Override
    public MessageType type() {
        return MessageType.ONLINE;
    }

    @Override
    public DeviceOnline withHeader(MessageHeader header) {
        return new DeviceOnline(header, node, remoteAddress);
    }
}
