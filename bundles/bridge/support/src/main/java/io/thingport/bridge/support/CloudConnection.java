package io.thingport.bridge.support;

import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One device of a cloud platform as a connection of the platform ({@link CloudDevices}): what the platform sends it goes
 * to the cloud's API; closing it takes the device offline.
 */
public final class CloudConnection implements TransportConnection {
    private final String id;
    private final String deviceId;
    private final String productId;
    private final InetSocketAddress cloud;
    private final CloudDevices devices;
    private final AtomicBoolean open = new AtomicBoolean(true);

    CloudConnection(String id, String deviceId, String productId, InetSocketAddress cloud, CloudDevices devices) {
        this.id = id;
        this.deviceId = deviceId;
        this.productId = productId;
        this.cloud = cloud;
        this.devices = devices;
    }

    @Override
    public String id() {
        return id;
    }

    public String deviceId() {
        return deviceId;
    }

    public String productId() {
        return productId;
    }

    @Override
    public Transport transport() {
        return Transport.HTTP;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return cloud;
    }

    @Override
    public CompletionStage<Void> send(EncodedMessage message) {
        if (!open.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("device " + deviceId + " is offline on the cloud"));
        }
        return devices.send(this, message);
    }

    @Override
    public void close(String reason) {
        if (open.compareAndSet(true, false)) {
            devices.closed(this, reason);
        }
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }
}
