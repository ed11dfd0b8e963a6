package io.thingport.network.mqtt.client;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The platform's view of one device behind the broker: downlinks are published through the {@link BrokerLink}.
 * Thread-safe; only the loop closes it ({@link #markClosed()}).
 */
final class BrokeredConnection implements TransportConnection {
    private final String id;
    private final String device;
    private final String componentId;
    private final BrokerLink link;
    private final Consumer<String> closer;
    private volatile boolean open = true;

    /**
     * @param device the device in words, e.g. "device d1 of product p1"
     * @param closer asked (on any thread) to close the device with a reason; it does so on the loop
     */
    BrokeredConnection(String id, String device, String componentId, BrokerLink link, Consumer<String> closer) {
        this.id = id;
        this.device = device;
        this.componentId = componentId;
        this.link = link;
        this.closer = closer;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Transport transport() {
        return Transport.MQTT;
    }

    /** The broker's address. */
    @Override
    public InetSocketAddress remoteAddress() {
        return link.broker();
    }

    /** Publishes to the broker with the configured QoS; completes when Paho confirms delivery (PUBACK for QoS 1). */
    @Override
    public CompletionStage<Void> send(EncodedMessage message) {
        if (!open) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                    device + " is not connected through network component " + componentId));
        }
        return link.publish(message.topic(), message.payload());
    }

    @Override
    public void close(String reason) {
        closer.accept(reason);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The device is no longer served by this connection; called on the loop, before reporting it disconnected. */
    void markClosed() {
        open = false;
    }

    @Override
    public String toString() {
        return device + " via " + link.serverUri();
    }
}
