package io.thingport.network.mqtt.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.thingport.api.ErrorCode;
import io.thingport.api.TopicFilters;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import io.thingport.network.netty.NettyTls;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection: CONNECT → authentication (off the event loop) → CONNACK, then PUBLISH (QoS 0 and 1; PUBACK
 * only after the platform stored the message), SUBSCRIBE/UNSUBSCRIBE with the protocol's ACL, PINGREQ, DISCONNECT
 * and the will message. All state is confined to the channel's event loop except the subscriptions, which
 * {@link #send} reads from any thread.
 */
final class MqttConnectionHandler extends ChannelInboundHandlerAdapter implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionHandler.class);
    private static final AttributeKey<String> CLOSE_REASON = AttributeKey.valueOf("thingport.closeReason");
    private static final byte REASON_NOT_AUTHORIZED = (byte) 0x87;
    private static final byte REASON_PACKET_TOO_LARGE = (byte) 0x95;
    private static final byte REASON_QOS_NOT_SUPPORTED = (byte) 0x9B;
    private static final byte REASON_PROTOCOL_ERROR = (byte) 0x82;
    private static final int SUBACK_FAILURE_V3 = 0x80;
    private static final int SUBACK_NOT_AUTHORIZED_V5 = 0x87;
    private static final int SUBACK_BAD_FILTER_V5 = 0x8F;

    static final int CLOSE_GRACE_SECONDS = 5;

    private enum State { AWAIT_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

    private final Channel channel;
    private final MqttServerSettings settings;
    private final TransportListener listener;
    private final Set<String> subscriptions = new CopyOnWriteArraySet<>();
    private State state = State.AWAIT_CONNECT;
    private int protocolLevel = 4;
    private EncodedMessage will;
    private boolean cleanDisconnect;
    private boolean listenerConnected;
    private int inflight;
    private final java.util.ArrayDeque<Uplink> backlog = new java.util.ArrayDeque<>();
    private boolean closeRequested;

    MqttConnectionHandler(Channel channel, MqttServerSettings settings, TransportListener listener) {
        this.channel = channel;
        this.settings = settings;
        this.listener = listener;
    }

    /** Records why a channel is being closed (the first reason wins) for the device log. */
    static void closeReason(Channel ch, String reason) {
        ch.attr(CLOSE_REASON).setIfAbsent(reason);
    }

    private boolean v5() {
        return protocolLevel == 5;
    }

    // ------------------------------------------------------------------ inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage m)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (m.decoderResult().isFailure()) {
            io.netty.util.ReferenceCountUtil.release(msg);
            decodeFailure(m.decoderResult().cause());
            return;
        }
        MqttMessageType type = m.fixedHeader().messageType();
        if (type == MqttMessageType.CONNECT) {
            if (state != State.AWAIT_CONNECT) {
                close("protocol violation: a second CONNECT");
                return;
            }
            onConnect((MqttConnectMessage) m);
            return;
        }
        if (state != State.CONNECTED) {
            io.netty.util.ReferenceCountUtil.release(msg);
            close("protocol violation: " + type + " before the connection was accepted");
            return;
        }
        switch (type) {
            case PUBLISH -> onPublish((MqttPublishMessage) m);
            case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) m);
            case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) m);
            case PINGREQ -> channel.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false,
                    MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT -> {
                cleanDisconnect = true;
                close("disconnected by the device");
            }
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> {
                // Downlinks are sent with QoS 0, so no acknowledgement is expected; ignore stray ones.
            }
            default -> close("protocol violation: unexpected " + type);
        }
    }

    private void decodeFailure(Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            if (v5() && state == State.CONNECTED) {
                channel.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode(REASON_PACKET_TOO_LARGE).build());
            }
            close("message larger than maxMessageLength " + settings.maxMessageLength() + " bytes");
        } else if (state == State.AWAIT_CONNECT && cause != null && cause.getClass().getSimpleName().contains("ProtocolVersion")) {
            channel.writeAndFlush(connAck(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION))
                    .addListener(ChannelFutureListener.CLOSE);
            closeReason(channel, "unsupported MQTT protocol version");
        } else {
            close("malformed MQTT packet: " + (cause == null ? "unknown" : cause.getMessage()));
        }
    }

    private void onConnect(MqttConnectMessage connect) {
        protocolLevel = connect.variableHeader().version();
        state = State.AUTHENTICATING;
        channel.config().setAutoRead(false);
        if (connect.variableHeader().isWillFlag()) {
            will = new EncodedMessage(connect.payload().willTopic(), connect.payload().willMessageInBytes(),
                    Map.of("qos", Integer.toString(connect.variableHeader().willQos()), "will", "true"));
        }
        // With TLS the CONNECT is only decoded after the handshake: the chain (if any) has been verified.
        AuthRequest request = new AuthRequest(Transport.MQTT, connect.payload().clientIdentifier(), connect.payload().userName(),
                connect.payload().passwordInBytes(), remoteAddress()).withCertificates(NettyTls.peerCertificates(channel));
        int keepAlive = connect.variableHeader().keepAliveTimeSeconds();
        CompletionStage<AuthResult> auth;
        try {
            auth = listener.authenticate(request);
        } catch (RuntimeException e) {
            auth = CompletableFuture.failedFuture(e);
        }
        auth.whenComplete((result, error) -> channel.eventLoop().execute(() -> authenticated(result, error, keepAlive)));
    }

    private void authenticated(AuthResult result, Throwable error, int keepAlive) {
        if (!channel.isActive() || state != State.AUTHENTICATING) {
            return;
        }
        if (error != null || result == null) {
            LOG.warn("Authentication failed with an error: {}", error == null ? "no result" : error.toString());
            refuse(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "authentication failed: " + error);
            return;
        }
        if (!result.accepted()) {
            MqttConnectReturnCode code = result.failure().badCredentials()
                    ? (v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD)
                    : (v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            refuse(code, "login refused: " + result.detail());
            return;
        }
        channel.writeAndFlush(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED));
        state = State.CONNECTED;
        listenerConnected = true;
        listener.connected(this, result);
        if (keepAlive > 0) {
            channel.pipeline().replace("idle", "idle", new IdleStateHandler(keepAlive * 3L / 2 + 1, 0, 0, TimeUnit.SECONDS));
        } else {
            channel.pipeline().remove("idle");
        }
        channel.config().setAutoRead(true);
    }

    private void refuse(MqttConnectReturnCode code, String reason) {
        closeReason(channel, reason);
        state = State.CLOSED;
        channel.writeAndFlush(connAck(code)).addListener(ChannelFutureListener.CLOSE);
    }

    private MqttConnAckMessage connAck(MqttConnectReturnCode code) {
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (v5() && code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            props = new MqttProperties();
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_QOS.value(), 1));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value(),
                    settings.maxMessageLength()));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value(),
                    settings.maxInflight()));
        }
        return MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).properties(props).build();
    }

    private void onPublish(MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        int packetId = publish.variableHeader().packetId();
        MqttQoS qos = publish.fixedHeader().qosLevel();
        byte[] payload;
        try {
            payload = ByteBufUtil.getBytes(publish.content());
        } finally {
            publish.release();
        }
        if (qos == MqttQoS.EXACTLY_ONCE) {
            if (v5()) {
                channel.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode(REASON_QOS_NOT_SUPPORTED).build());
            }
            close("QoS 2 is not supported (use QoS 0 or 1)");
            return;
        }
        if (topic.contains("+") || topic.contains("#") || topic.isEmpty()) {
            if (v5()) {
                channel.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode(REASON_PROTOCOL_ERROR).build());
            }
            close("protocol violation: invalid topic name '" + topic + "'");
            return;
        }
        Uplink uplink = new Uplink(topic, qos, packetId, payload);
        if (inflight >= settings.maxInflight() || !backlog.isEmpty()) {
            // One socket read can hold many packets; the ones beyond the bound wait here, in order.
            backlog.add(uplink);
            return;
        }
        deliver(uplink);
    }

    /** A PUBLISH taken off the wire, waiting for (or on its way to) the platform. */
    private record Uplink(String topic, MqttQoS qos, int packetId, byte[] payload) {
    }

    private void deliver(Uplink u) {
        CompletionStage<Void> stored;
        try {
            stored = listener.received(this, new EncodedMessage(u.topic(), u.payload(), Map.of("qos", Integer.toString(u.qos().value()))));
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        // QoS 0 counts too: a device flooding QoS 0 must be slowed down like any other, not queue without bound.
        if (++inflight >= settings.maxInflight()) {
            channel.config().setAutoRead(false);
        }
        stored.whenComplete((ok, error) -> channel.eventLoop().execute(() -> published(u.topic(), u.qos(), u.packetId(), error)));
    }

    private void published(String topic, MqttQoS qos, int packetId, Throwable error) {
        inflight--;
        if (!channel.isActive()) {
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause == null) {
            if (qos == MqttQoS.AT_LEAST_ONCE) {
                channel.writeAndFlush(MqttMessageBuilders.pubAck().packetId(packetId).build());
            }
        } else if (cause instanceof ThingportException te && te.code() == ErrorCode.FORBIDDEN) {
            if (v5() && qos == MqttQoS.AT_LEAST_ONCE) {
                channel.writeAndFlush(MqttMessageBuilders.pubAck().packetId(packetId).reasonCode(REASON_NOT_AUTHORIZED).build());
            } else {
                if (v5()) {
                    channel.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode(REASON_NOT_AUTHORIZED).build());
                }
                close("forbidden publish to " + topic + ": " + te.getMessage());
                return;
            }
        } else {
            // Not acknowledged: the device keeps the message and sends it again after reconnecting.
            LOG.warn("Could not store a message on {}: {}", topic, cause.getMessage());
            close("the platform could not store a message: " + cause.getMessage());
            return;
        }
        if (closeRequested) {
            if (inflight == 0) {
                channel.close();
            }
            return;
        }
        while (!backlog.isEmpty() && inflight < settings.maxInflight() && channel.isActive()) {
            deliver(backlog.poll());
        }
        if (state == State.CONNECTED && !channel.config().isAutoRead() && inflight < settings.maxInflight() && backlog.isEmpty()) {
            channel.config().setAutoRead(true);
        }
    }

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        List<Integer> codes = new ArrayList<>();
        for (MqttTopicSubscription s : subscribe.payload().topicSubscriptions()) {
            String filter = s.topicName();
            if (!TopicFilters.isValid(filter)) {
                codes.add(v5() ? SUBACK_BAD_FILTER_V5 : SUBACK_FAILURE_V3);
            } else if (!listener.maySubscribe(this, filter)) {
                codes.add(v5() ? SUBACK_NOT_AUTHORIZED_V5 : SUBACK_FAILURE_V3);
            } else {
                subscriptions.add(filter);
                codes.add(Math.min(s.qualityOfService().value(), 1));
            }
        }
        int packetId = subscribe.idAndPropertiesVariableHeader().messageId();
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
        MqttMessageIdVariableHeader id = v5()
                ? new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES)
                : MqttMessageIdVariableHeader.from(packetId);
        channel.writeAndFlush(new MqttSubAckMessage(header, id, new MqttSubAckPayload(codes)));
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        MqttMessageBuilders.UnsubAckBuilder ack = MqttMessageBuilders.unsubAck()
                .packetId(unsubscribe.idAndPropertiesVariableHeader().messageId());
        for (String filter : unsubscribe.payload().topics()) {
            boolean removed = subscriptions.remove(filter);
            if (v5()) {
                ack.addReasonCode((short) (removed ? 0x00 : 0x11));
            }
        }
        channel.writeAndFlush(ack.build());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            close(state == State.CONNECTED ? "keep-alive timeout" : "no CONNECT within " + settings.connectTimeout() + " s");
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            // The SslHandler closes the channel itself; nobody logged in, so the listener hears nothing.
            LOG.debug("TLS handshake with {} failed: {}", channel.remoteAddress(), handshake.cause().toString());
            closeReason(channel, "TLS handshake failed: " + handshake.cause().getMessage());
            state = State.CLOSED;
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("MQTT connection {} failed", remoteAddress(), cause);
        close("connection error: " + cause.getMessage());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        state = State.CLOSED;
        if (listenerConnected) {
            listenerConnected = false;
            String reason = channel.attr(CLOSE_REASON).get();
            if (!cleanDisconnect && will != null) {
                try {
                    listener.received(this, will);
                } catch (RuntimeException e) {
                    LOG.debug("Delivering the will message of {} failed: {}", remoteAddress(), e.toString());
                }
            }
            listener.disconnected(this, reason == null ? "connection closed by the device" : reason);
        }
        super.channelInactive(ctx);
    }

    // ------------------------------------------------------------------ TransportConnection

    @Override
    public String id() {
        return channel.id().asShortText();
    }

    @Override
    public Transport transport() {
        return Transport.MQTT;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public CompletionStage<Void> send(EncodedMessage message) {
        if (!channel.isActive()) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE, "the connection is closed"));
        }
        if (subscriptions.stream().noneMatch(f -> TopicFilters.matches(f, message.topic()))) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                    "the device is connected but has not subscribed to " + message.topic()));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        MqttPublishMessage publish = MqttMessageBuilders.publish().topicName(message.topic()).qos(MqttQoS.AT_MOST_ONCE)
                .retained(false).messageId(0).payload(Unpooled.wrappedBuffer(message.payload())).build();
        channel.writeAndFlush(publish).addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(new ThingportException(ErrorCode.DEVICE_OFFLINE, "writing to the device failed: "
                        + f.cause().getMessage()));
            }
        });
        return done;
    }

    /**
     * Closes the connection once the QoS 1 messages already received are acknowledged (so a device is never left
     * without the PUBACK of a message the platform stored), or after {@link #CLOSE_GRACE_SECONDS} at the latest.
     * Nothing more is read from the connection meanwhile.
     */
    @Override
    public void close(String reason) {
        closeReason(channel, reason);
        channel.eventLoop().execute(() -> {
            if (inflight == 0) {
                channel.close();
                return;
            }
            closeRequested = true;
            channel.config().setAutoRead(false);
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        });
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }
}
