package io.thingport.simulator.engine;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.thingport.api.device.SignedLogin;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One device's MQTT 3.1.1 connection speaking the official protocol: CONNECT with a {@link SignedLogin}, SUBSCRIBE to
 * its downlink filters once logged in, QoS 1 PUBLISH matched to its PUBACK by packet id (the latency is PUBLISH
 * written to PUBACK received), downlink PUBLISHes acknowledged and handed to the {@link Listener}. No thread of its
 * own: everything runs on the {@link EventLoop} it is given, which the listener is called on (it must not block).
 * The one MQTT device client of the simulator and the benchmark (bench/).
 */
public final class MqttDeviceConnection {
    /** What the connection tells its owner, on its event loop: quick, non-blocking work only. */
    public interface Listener {
        /** CONNACK 0: the device is logged in (its subscriptions are on their way). */
        default void loggedIn(long connectNanos) {
        }

        /** The attempt ended without a login. */
        default void loginFailed(Failure failure, String detail) {
        }

        /** A PUBLISH got its PUBACK. */
        default void acked(Object context, long latencyNanos) {
        }

        /** A PUBLISH will never be acknowledged (the connection closed first or the write failed). */
        default void dropped(Object context) {
        }

        /** The SUBACK of the subscriptions: the granted QoS of each, 0x80 for a refused one. */
        default void subscribed(List<Integer> grantedQos) {
        }

        /** A downlink PUBLISH (already acknowledged). */
        default void message(String topic, String payload) {
        }

        /**
         * A logged-in session ended.
         *
         * @param byUs whether {@link #disconnect()} ended it
         */
        default void closed(boolean byUs, String detail) {
        }
    }

    /** Why an attempt ended without a login. */
    public enum Failure {
        /** The platform refused the credentials (CONNACK return code other than 0). */
        REFUSED,
        /** No connection, no CONNACK within the limit, or the connection closed before it. */
        CONNECT_ERROR
    }

    private static final int MAX_PACKET = 256 * 1024;

    private final Bootstrap base;
    private final EventLoop loop;
    private final InetSocketAddress address;
    private final int keepAliveSeconds;
    private final long loginTimeoutMs;
    private final Listener listener;

    // ---- event-loop confined ----
    private Channel channel;
    private boolean resolved;
    private boolean loggedIn;
    private boolean closing;
    private long connectStart;
    private ScheduledFuture<?> loginTimer;
    private final IntObjectHashMap<Pending> inflight = new IntObjectHashMap<>();
    private int nextPacketId = 1;
    private volatile boolean connected;

    private record Pending(long sentNanos, Object context) {
    }

    /**
     * @param base             a bootstrap with the group and channel type; cloned onto {@code loop} per connection
     * @param keepAliveSeconds MQTT keep-alive (a PINGREQ after 3/4 of it without other traffic); 0 for none
     * @param loginTimeoutMs   the limit for the TCP connect and, separately, for the CONNACK
     */
    public MqttDeviceConnection(Bootstrap base, EventLoop loop, InetSocketAddress address, int keepAliveSeconds,
                                long loginTimeoutMs, Listener listener) {
        this.base = Objects.requireNonNull(base, "base");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.address = Objects.requireNonNull(address, "address");
        this.keepAliveSeconds = keepAliveSeconds;
        this.loginTimeoutMs = loginTimeoutMs;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public EventLoop loop() {
        return loop;
    }

    /** Logged in and not closed since; readable from any thread. */
    public boolean isConnected() {
        return connected;
    }

    /** PUBLISHes waiting for their PUBACK. Event loop only. */
    public int inflight() {
        return inflight.size();
    }

    /**
     * Connects and logs in; exactly one of {@link Listener#loggedIn} and {@link Listener#loginFailed} follows. Callable
     * from any thread; a connection still open is closed first.
     *
     * @param subscriptions topic filters to subscribe to once logged in
     */
    public void connect(SignedLogin login, List<String> subscriptions) {
        Objects.requireNonNull(login, "login");
        List<String> filters = List.copyOf(subscriptions);
        loop.execute(() -> {
            if (channel != null) {
                channel.close();
            }
            resolved = false;
            loggedIn = false;
            closing = false;
            connectStart = System.nanoTime();
            ChannelFuture f = base.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ChannelPipeline p = ch.pipeline();
                    p.addLast("decoder", new MqttDecoder(MAX_PACKET));
                    p.addLast("encoder", MqttEncoder.INSTANCE);
                    if (keepAliveSeconds > 0) {
                        p.addLast("idle", new IdleStateHandler(0, Math.max(1000L, keepAliveSeconds * 750L), 0, TimeUnit.MILLISECONDS));
                    }
                    p.addLast("device", new Handler(login, filters));
                }
            }).connect(address);
            channel = f.channel();
            f.addListener((ChannelFutureListener) cf -> {
                if (!cf.isSuccess()) {
                    fail(Failure.CONNECT_ERROR, "connect to " + address + " failed: " + describe(cf.cause()));
                }
            });
        });
    }

    /**
     * Publishes a QoS 1 message. Must run on {@link #loop()}.
     *
     * @param context   handed back with its {@link Listener#acked} or {@link Listener#dropped}
     * @param maxInflight the most PUBLISHes awaiting a PUBACK; at that many nothing is sent
     * @return whether it was sent: {@code false} when not logged in or at {@code maxInflight}
     */
    public boolean publish(String topic, String payload, Object context, int maxInflight) {
        Channel ch = channel;
        if (!loggedIn || ch == null || !ch.isActive() || inflight.size() >= maxInflight) {
            return false;
        }
        int packetId = allocatePacketId();
        if (packetId < 0) {
            return false;
        }
        ByteBuf buf = ch.alloc().buffer(payload.length() + 8);
        ByteBufUtil.writeUtf8(buf, payload);
        MqttPublishMessage publish = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader(topic, packetId), buf);
        inflight.put(packetId, new Pending(System.nanoTime(), context));
        ch.writeAndFlush(publish).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close(); // channelInactive drops what is in flight
            }
        });
        return true;
    }

    /** Ends the session with a DISCONNECT (or closes an attempt). Callable from any thread. */
    public void disconnect() {
        loop.execute(() -> {
            closing = true;
            Channel ch = channel;
            if (ch == null) {
                return;
            }
            if (loggedIn && ch.isActive()) {
                ch.writeAndFlush(MqttMessage.DISCONNECT).addListener(ChannelFutureListener.CLOSE);
            } else {
                ch.close();
            }
        });
    }

    private int allocatePacketId() {
        for (int tries = 0; tries < 65535; tries++) {
            int id = nextPacketId;
            nextPacketId = id == 65535 ? 1 : id + 1;
            if (!inflight.containsKey(id)) {
                return id;
            }
        }
        return -1;
    }

    private void fail(Failure failure, String detail) {
        if (resolved) {
            return;
        }
        resolved = true;
        cancelLoginTimer();
        listener.loginFailed(failure, detail);
    }

    private void cancelLoginTimer() {
        if (loginTimer != null) {
            loginTimer.cancel(false);
            loginTimer = null;
        }
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {
        private final SignedLogin login;
        private final List<String> filters;

        Handler(SignedLogin login, List<String> filters) {
            this.login = login;
            this.filters = filters;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(MqttMessageBuilders.connect()
                    .protocolVersion(MqttVersion.MQTT_3_1_1)
                    .clientId(login.clientId())
                    .cleanSession(true)
                    .keepAlive(keepAliveSeconds)
                    .hasUser(true)
                    .username(login.username())
                    .hasPassword(true)
                    .password(login.password().getBytes(StandardCharsets.UTF_8))
                    .build());
            loginTimer = loop.schedule(() -> {
                loginTimer = null;
                if (!resolved) {
                    fail(Failure.CONNECT_ERROR, "no CONNACK within " + loginTimeoutMs + " ms");
                    ctx.close();
                }
            }, loginTimeoutMs, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            if (msg.decoderResult().isFailure()) {
                fail(Failure.CONNECT_ERROR, "bad packet from the server: " + describe(msg.decoderResult().cause()));
                ctx.close();
                return;
            }
            MqttFixedHeader header = msg.fixedHeader();
            switch (header.messageType()) {
                case CONNACK -> onConnAck(ctx, (MqttConnAckMessage) msg);
                case PUBACK -> {
                    Pending p = inflight.remove(((MqttPubAckMessage) msg).variableHeader().messageId());
                    if (p != null) {
                        listener.acked(p.context(), System.nanoTime() - p.sentNanos());
                    }
                }
                case PUBLISH -> onPublish(ctx, (MqttPublishMessage) msg);
                case PUBREL -> ctx.writeAndFlush(new MqttMessage(
                        new MqttFixedHeader(MqttMessageType.PUBCOMP, false, MqttQoS.AT_MOST_ONCE, false, 0),
                        MqttMessageIdVariableHeader.from(((MqttMessageIdVariableHeader) msg.variableHeader()).messageId())));
                case SUBACK -> listener.subscribed(((MqttSubAckMessage) msg).payload().grantedQoSLevels());
                default -> {
                    // PINGRESP: nothing to do
                }
            }
        }

        private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage msg) {
            if (resolved) {
                return;
            }
            MqttConnectReturnCode rc = msg.variableHeader().connectReturnCode();
            if (rc != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                fail(Failure.REFUSED, "login refused: CONNACK " + (rc.byteValue() & 0xff) + " " + rc.name());
                ctx.close();
                return;
            }
            resolved = true;
            loggedIn = true;
            connected = true;
            cancelLoginTimer();
            if (!filters.isEmpty()) {
                MqttMessageBuilders.SubscribeBuilder sub = MqttMessageBuilders.subscribe().messageId(allocatePacketId());
                for (String f : filters) {
                    sub.addSubscription(MqttQoS.AT_LEAST_ONCE, f);
                }
                ctx.writeAndFlush(sub.build());
            }
            listener.loggedIn(System.nanoTime() - connectStart);
        }

        private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage p) {
            MqttQoS qos = p.fixedHeader().qosLevel();
            if (qos == MqttQoS.AT_LEAST_ONCE) {
                ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId()).build());
            } else if (qos == MqttQoS.EXACTLY_ONCE) {
                ctx.writeAndFlush(new MqttMessage(
                        new MqttFixedHeader(MqttMessageType.PUBREC, false, MqttQoS.AT_MOST_ONCE, false, 0),
                        MqttMessageIdVariableHeader.from(p.variableHeader().packetId())));
            }
            listener.message(p.variableHeader().topicName(), p.payload().toString(StandardCharsets.UTF_8));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent e && e.state() == IdleState.WRITER_IDLE) {
                if (loggedIn && ctx.channel().isActive()) {
                    ctx.writeAndFlush(MqttMessage.PINGREQ);
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() != channel) {
                ctx.close();
                return;
            }
            fail(Failure.CONNECT_ERROR, "connection error before CONNACK: " + describe(cause));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel() != channel) {
                return; // a connection replaced by a newer attempt: its end concerns no one
            }
            cancelLoginTimer();
            fail(Failure.CONNECT_ERROR, "connection closed by the server before CONNACK");
            boolean wasLoggedIn = loggedIn;
            loggedIn = false;
            connected = false;
            if (!inflight.isEmpty()) {
                for (Pending p : inflight.values()) {
                    listener.dropped(p.context());
                }
                inflight.clear();
            }
            if (wasLoggedIn) {
                listener.closed(closing, closing ? "disconnected" : "connection closed by the server");
            }
            super.channelInactive(ctx);
        }
    }
}
