package io.thingport.core.internal.gateway;

import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.RegisterRequest;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.Transport;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
    /** For a sub-device: the session of the gateway that speaks for it. */
    private final DeviceSession parent;
    /** For a gateway: its sub-devices online through this connection. */
    private final ConcurrentMap<String, DeviceSession> children = new ConcurrentHashMap<>();

    DeviceSession(String deviceId, String productId, boolean registrationOnly, TransportConnection connection,
                  DeviceGateway gateway, long connectedAt) {
        this(deviceId, productId, registrationOnly, connection, gateway, connectedAt, null);
    }

    private DeviceSession(String deviceId, String productId, boolean registrationOnly, TransportConnection connection,
                          DeviceGateway gateway, long connectedAt, DeviceSession parent) {
        this.parent = parent;
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
     * logged in, in its product, and for no other; a gateway's connection also for what its codec marked as a
     * sub-device's message ({@link #isForSubDevice}), which the gateway then checks against the bindings. The one place
     * that decides it, whatever the protocol's codec put in the message's header.
     */
    public Optional<String> refusal(DeviceMessage message) {
        if (deviceId.equals(message.deviceId()) && productId.equals(message.productId()) || isForSubDevice(message)) {
            return Optional.empty();
        }
        return Optional.of("the connection of device " + deviceId + " (product " + productId + ") sent a message for device "
                + message.deviceId() + " (product " + message.productId() + ")");
    }

    /**
     * Whether a message this connection sent speaks for a sub-device: another device's id, and no product (the codec
     * cannot know it) or, for a registration, the product the sub-device asks to join.
     */
    public boolean isForSubDevice(DeviceMessage message) {
        return parent == null && !registrationOnly && !deviceId.equals(message.deviceId())
                && (message.productId() == null || message instanceof RegisterRequest);
    }

    /** A session for a sub-device on this (its gateway's) connection; {@link #adopt} makes it one of its children. */
    DeviceSession child(String childId, String childProductId, long now) {
        return new DeviceSession(childId, childProductId, false, connection, gateway, now, this);
    }

    /** The session of a sub-device online through this connection. */
    Optional<DeviceSession> child(String childId) {
        return Optional.ofNullable(children.get(childId));
    }

    /** Adds a sub-device's session; returns the one already there if there is one (then nothing changed). */
    Optional<DeviceSession> adopt(DeviceSession child) {
        return Optional.ofNullable(children.putIfAbsent(child.deviceId(), child));
    }

    /** Removes a sub-device's session; whether it was this gateway's. */
    boolean release(DeviceSession child) {
        return children.remove(child.deviceId(), child);
    }

    /** The sub-devices online through this connection. */
    Collection<DeviceSession> children() {
        return List.copyOf(children.values());
    }

    /** The gateway's session, for a sub-device's session. */
    public Optional<DeviceSession> parent() {
        return Optional.ofNullable(parent);
    }

    /**
     * What the codec sees as the session of a message to this device: the session itself, or for a sub-device its
     * gateway's (the codec addresses the sub-device through it).
     */
    public CodecSession codecSession() {
        return parent == null ? this : parent;
    }

    /**
     * Ends the session: closes a device's connection (its sub-devices go offline with it), or takes a sub-device offline
     * leaving its gateway's connection open.
     */
    public void close(String reason) {
        if (parent == null) {
            connection.close(reason);
        } else {
            gateway.childOffline(this, reason);
        }
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
        return "DeviceSession[" + deviceId + (parent == null ? "" : " through " + parent.deviceId()) + " via " + gateway.id()
                + " from " + connection.remoteAddress() + "]";
    }
}
