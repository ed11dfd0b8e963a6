package io.thingport.network.mqtt.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.TopicFilters;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import io.thingport.network.netty.InflightUplinks;
import io.thingport.network.netty.NettyTls;
import io.thingport.network.netty.UplinkOutcome;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection: CONNECT → authentication (off the event loop) → CONNACK, then PUBLISH (QoS 0 and 1; PUBACK
 * only after the platform stored the message; a message the platform did not take because it is at its bound is
 * offered again after a pause, reading stopped meanwhile), SUBSCRIBE/UNSUBSCRIBE with the protocol's ACL, PINGREQ,
 * DISCONNECT and the will message. All state is confined to the channel's event loop except the subscriptions, which
 * {@link #send} reads from any thread. What to answer is decided elsewhere, without a channel: {@link MqttReasonCodes}
 * (refusal and reason codes), {@link UplinkAnswer} (the answer once the platform answered a PUBLISH),
 * {@link InflightUplinks} (the in-flight bound and when to stop or resume reading) and {@link Subscriptions}.
 */
final class MqttConnectionHandler extends ChannelInboundHandlerAdapter implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionHandler.class);
    private static final AttributeKey<String> CLOSE_REASON = AttributeKey.valueOf("thingport.closeReason");

    static final int CLOSE_GRACE_SECONDS = 5;

    private enum State { AWAIT_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

    private final Channel channel;
    private final MqttServerSettings settings;
    private final TransportListener listener;
    private final Subscriptions subscriptions = new Subscriptions();
    private final InflightUplinks<Uplink> uplinks;
    private State state = State.AWAIT_CONNECT;
    private int protocolLevel = 4;
    private EncodedMessage will;
    private boolean cleanDisconnect;
    private boolean listenerConnected;
    private ScheduledFuture<?> pauseTimer;

    MqttConnectionHandler(Channel channel, MqttServerSettings settings, TransportListener listener) {
        this.channel = channel;
        this.settings = settings;
        this.listener = listener;
        this.uplinks = new InflightUplinks<>(settings.maxInflight());
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
            ReferenceCountUtil.release(msg);
            return;
        }
        if (m.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
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
            ReferenceCountUtil.release(msg);
            close("protocol violation: " + type + " before the connection was accepted");
            return;
        }
        switch (type) {
            case PUBLISH -> onPublish((MqttPublishMessage) m);
            case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) m);
            case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) m);
            case PINGREQ -> channel.writeAndFlush(MqttPackets.pingResp());
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
                channel.writeAndFlush(MqttPackets.disconnect(MqttReasonCodes.PACKET_TOO_LARGE));
            }
            close("message larger than maxMessageLength " + settings.maxMessageLength() + " bytes");
        } else if (state == State.AWAIT_CONNECT && cause != null
                && cause.getClass().getSimpleName().contains("ProtocolVersion")) {
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
        will = MqttPackets.will(connect);
        // With TLS the CONNECT is only decoded after the handshake: the chain (if any) has been verified.
        AuthRequest request = new AuthRequest(Transport.MQTT, connect.payload().clientIdentifier(),
                connect.payload().userName(), connect.payload().passwordInBytes(), remoteAddress())
                .withCertificates(NettyTls.peerCertificates(channel));
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
            refuse(MqttReasonCodes.authenticationError(v5()), "authentication failed: " + error);
            return;
        }
        if (!result.accepted()) {
            refuse(MqttReasonCodes.loginRefused(v5(), result.failure()), "login refused: " + result.detail());
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
        return MqttPackets.connAck(v5(), code, settings.maxMessageLength(), settings.maxInflight());
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
                channel.writeAndFlush(MqttPackets.disconnect(MqttReasonCodes.QOS_NOT_SUPPORTED));
            }
            close("QoS 2 is not supported (use QoS 0 or 1)");
            return;
        }
        if (!MqttReasonCodes.isValidTopicName(topic)) {
            if (v5()) {
                channel.writeAndFlush(MqttPackets.disconnect(MqttReasonCodes.PROTOCOL_ERROR));
            }
            close("protocol violation: invalid topic name '" + topic + "'");
            return;
        }
        Uplink uplink = new Uplink(topic, qos, packetId, payload);
        // One socket read can hold many packets; the ones beyond the bound wait in uplinks, in order.
        if (uplinks.admit(uplink)) {
            deliver(uplink);
        }
    }

    private void deliver(Uplink u) {
        CompletionStage<Void> stored;
        try {
            stored = listener.received(this, u.message());
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        // QoS 0 counts too: a device flooding QoS 0 must be slowed down like any other, not queue without bound.
        if (uplinks.started(u)) {
            channel.config().setAutoRead(false);
        }
        stored.whenComplete((ok, error) -> {
            // Refused at once (the platform at its bound): pause now, before the next PUBLISH of this read is delivered.
            if (UplinkOutcome.of(error) == UplinkOutcome.UNAVAILABLE && channel.eventLoop().inEventLoop()) {
                published(u, error);
            } else {
                channel.eventLoop().execute(() -> published(u, error));
            }
        });
    }

    private void published(Uplink u, Throwable error) {
        UplinkAnswer answer = UplinkAnswer.of(v5(), u.qos(), error);
        if (answer == UplinkAnswer.RETRY) {
            notTaken(u, error);
        } else {
            uplinks.finished(u);
        }
        if (!channel.isActive()) {
            return;
        }
        switch (answer) {
            case RETRY -> {
                // Not acknowledged: offered again when the pause is over (QoS 0 too: nothing is lost for being busy).
            }
            case NONE -> {
                // QoS 0: nothing to acknowledge.
            }
            case PUBACK -> channel.writeAndFlush(MqttPackets.pubAck(u.packetId()));
            case PUBACK_NOT_AUTHORIZED -> channel.writeAndFlush(MqttPackets.pubAck(u.packetId(), MqttReasonCodes.NOT_AUTHORIZED));
            case CLOSE_FORBIDDEN -> {
                if (v5()) {
                    channel.writeAndFlush(MqttPackets.disconnect(MqttReasonCodes.NOT_AUTHORIZED));
                }
                close("forbidden publish to " + u.topic() + ": " + UplinkOutcome.cause(error).getMessage());
                return;
            }
            case CLOSE_NOT_STORED -> {
                // Not acknowledged: the device keeps the message and sends it again after reconnecting.
                String message = UplinkOutcome.cause(error).getMessage();
                LOG.warn("Could not store a message on {}: {}", u.topic(), message);
                close("the platform could not store a message: " + message);
                return;
            }
        }
        if (uplinks.closing()) {
            if (uplinks.idle()) {
                channel.close();
            }
            return;
        }
        drain();
    }

    /** Delivers refused and queued messages up to the bound and reads again when there is room. */
    private void drain() {
        Uplink next;
        while (channel.isActive() && (next = uplinks.nextReady()) != null) {
            deliver(next);
        }
        if (state == State.CONNECTED && !channel.config().isAutoRead() && uplinks.mayRead()) {
            channel.config().setAutoRead(true);
        }
    }

    /** The platform is at its bound: the message waits, reading stops, and a pause starts unless one is running. */
    private void notTaken(Uplink u, Throwable error) {
        if (!uplinks.unavailable(u) || !channel.isActive()) {
            return;
        }
        channel.config().setAutoRead(false);
        LOG.debug("The platform did not take a message of {} on {} ({}); offering {} again in {} ms", remoteAddress(), u.topic(),
                UplinkOutcome.cause(error).getMessage(), uplinks.waiting(), uplinks.pauseMillis());
        pauseTimer = channel.eventLoop().schedule(this::resume, uplinks.pauseMillis(), TimeUnit.MILLISECONDS);
    }

    private void resume() {
        pauseTimer = null;
        uplinks.resume();
        if (!uplinks.closing()) {
            drain();
        }
    }

    private void cancelPause() {
        if (pauseTimer != null) {
            pauseTimer.cancel(false);
            pauseTimer = null;
        }
    }

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        List<Integer> codes = new ArrayList<>();
        for (MqttTopicSubscription s : subscribe.payload().topicSubscriptions()) {
            String filter = s.topicName();
            if (!TopicFilters.isValid(filter)) {
                codes.add(MqttReasonCodes.subAckBadFilter(v5()));
            } else if (!listener.maySubscribe(this, filter)) {
                codes.add(MqttReasonCodes.subAckNotAuthorized(v5()));
            } else {
                subscriptions.add(filter);
                codes.add(MqttReasonCodes.subAckGranted(s.qualityOfService()));
            }
        }
        channel.writeAndFlush(MqttPackets.subAck(v5(), subscribe.idAndPropertiesVariableHeader().messageId(), codes));
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        List<Short> reasonCodes = new ArrayList<>();
        for (String filter : unsubscribe.payload().topics()) {
            boolean removed = subscriptions.remove(filter);
            if (v5()) {
                reasonCodes.add(MqttReasonCodes.unsubAck(removed));
            }
        }
        channel.writeAndFlush(MqttPackets.unsubAck(unsubscribe.idAndPropertiesVariableHeader().messageId(), reasonCodes));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (state == State.CONNECTED && !uplinks.closing() && !uplinks.mayRead()) {
                // Not read because the platform is busy (in-flight bound, or a pause): the device is not silent.
                return;
            }
            close(state == State.CONNECTED ? "keep-alive timeout"
                    : "no CONNECT within " + settings.connectTimeout() + " s");
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
        cancelPause();
        uplinks.closeAtOnce();
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
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                    "the connection is closed"));
        }
        if (!subscriptions.matches(message.topic())) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                    "the device is connected but has not subscribed to " + message.topic()));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.writeAndFlush(MqttPackets.downlink(message)).addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                        "writing to the device failed: " + f.cause().getMessage()));
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
            cancelPause();
            if (uplinks.closeWhenIdle()) {
                channel.close();
                return;
            }
            channel.config().setAutoRead(false);
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        });
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }
}
