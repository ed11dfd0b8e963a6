package io.thingport.core.internal.gateway;

import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.Transport;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An authenticated device connection: who it is, the connection and the gateway that serves it. The codec is the
 * gateway's current one, so a protocol package updated while the device is connected encodes its next downlink.
 */
public final class DeviceSession implements CodecSession {
    private final String deviceId;
    private final String productId;
    private final boolean registrationOnly;
    private final TransportConnection connection;
    private final DeviceGateway gateway;
    private final long connectedAt;
    private final AtomicBoolean deltaOffered = new AtomicBoolean();

    DeviceSession(String deviceId, String productId, boolean registrationOnly, TransportConnection connection,
                  DeviceGateway gateway, long connectedAt) {
        this.deviceId = deviceId;
        this.productId = productId;
        this.registrationOnly = registrationOnly;
        this.connection = connection;
        this.gateway = gateway;
        this.connectedAt = connectedAt;
    }

    /** True the first time only: the shadow delta is offered once per connection. */
    public boolean offerDeltaOnce() {
        return deltaOffered.compareAndSet(false, true);
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public String productId() {
        return productId;
    }

    @Override
    public boolean registrationOnly() {
        return registrationOnly;
    }

    @Override
    public Transport transport() {
        return connection.transport();
    }

    @Override
    public Optional<Product> product() {
        return gateway.product(productId);
    }

    /**
     * Why this session may not send {@code message}, or empty when it may: a connection speaks for the device that
     * logged in, in its product, and for no other (a gateway's sub-devices, when they come, are decided here too). The
     * one place that decides it, whatever the protocol's codec put in the message's header.
     */
    public Optional<String> refusal(DeviceMessage message) {
        if (deviceId.equals(message.deviceId()) && productId.equals(message.productId())) {
            return Optional.empty();
        }
        return Optional.of("the connection of device " + deviceId + " (product " + productId + ") sent a message for device "
                + message.deviceId() + " (product " + message.productId() + ")");
    }

    public TransportConnection connection() {
        return connection;
    }

    /** The codec of the protocol version now serving the gateway. */
    public DeviceCodec codec() {
        return gateway.codec();
    }

    public String gatewayId() {
        return gateway.id();
    }

    public long connectedAt() {
        return connectedAt;
    }

    @Override
    public String toString() {
        return "DeviceSession[" + deviceId + " via " + gateway.id() + " from " + connection.remoteAddress() + "]";
    }
}
