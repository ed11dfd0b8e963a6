package io.thingport.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One device on MQTT for the API benchmark, on its own Netty event loop: logs in with the official protocol's signed
 * credentials ({@link Auth}), subscribes to its topics, reports property values (QoS 1, returning once PUBACKed, which
 * the platform sends after storing them) and answers every {@code function/invoke} at once, on the event loop, with a
 * successful {@code function/invoke/reply} ({@link #invokeReply}).
 */
final class CommandDevice implements AutoCloseable {
    /** Keep-alive of the session; a PINGREQ goes after 3/4 of it without other traffic. */
    static final int KEEPALIVE_S = 60;

    private final String prefix;
    private final EventLoopGroup group;
    private final Channel channel;
    private final CompletableFuture<Void> connAck = new CompletableFuture<>();
    /** SUBSCRIBE and QoS 1 PUBLISH (reports) waiting for their SUBACK / PUBACK, by packet id. */
    private final Map<Integer, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextPacketId = new AtomicInteger();
    private final AtomicLong invokes = new AtomicLong();
    private final AtomicLong badInvokes = new AtomicLong();
    /** {@link System#nanoTime} when the last {@code function/invoke} arrived (read from the network). */
    private volatile long lastInvokeNanos;
    private volatile String closeReason;
    private volatile boolean closing;

    private CommandDevice(String productId, String deviceId, String secret, String host, int port) {
        this.prefix = "/" + productId + "/" + deviceId + "/";
        this.group = new NioEventLoopGroup(1);
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("decoder", new MqttDecoder(64 * 1024));
                        ch.pipeline().addLast("encoder", MqttEncoder.INSTANCE);
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, KEEPALIVE_S * 750L, 0, TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("device", new Handler(deviceId, secret));
                    }
                });
        this.channel = b.connect(new InetSocketAddress(host, port)).addListener(f -> {
            if (!f.isSuccess()) {
                failAll("connect to " + host + ":" + port + " failed: " + DeviceClient.describe(f.cause()));
            }
        }).channel();
    }

    /** Connects, logs in and subscribes to {@code /{productId}/{deviceId}/#}; throws when any step fails. */
    static CommandDevice connect(String host, int port, String productId, String deviceId, String secret, Duration timeout)
            throws IOException, InterruptedException {
        CommandDevice d = new CommandDevice(productId, deviceId, secret, host, port);
        try {
            d.await(d.connAck, timeout, "log in (CONNACK)");
            int id = d.packetId();
            CompletableFuture<Void> subAck = new CompletableFuture<>();
            d.pending.put(id, subAck);
            d.channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(id)
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, d.prefix + "#").build());
            d.await(subAck, timeout, "subscribe (SUBACK)");
            return d;
        } catch (IOException | InterruptedException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** Publishes a report ({@code properties/report}, QoS 1) and returns once the platform acknowledged it. */
    void report(String json, Duration timeout) throws IOException, InterruptedException {
        int id = packetId();
        CompletableFuture<Void> ack = new CompletableFuture<>();
        pending.put(id, ack);
        channel.writeAndFlush(publish(prefix + "properties/report", json, MqttQoS.AT_LEAST_ONCE, id));
        await(ack, timeout, "report (PUBACK)");
    }

    /** {@code function/invoke} downlinks answered so far. */
    long invokesAnswered() {
        return invokes.get();
    }

    /** {@link System#nanoTime} when the last {@code function/invoke} arrived; 0 before the first. */
    long lastInvokeNanos() {
        return lastInvokeNanos;
    }

    /** {@code function/invoke} downlinks that could not be answered (no messageId). */
    long invokesUnanswerable() {
        return badInvokes.get();
    }

    /** Why the session ended, or null while it is up. */
    String closeReason() {
        return channel.isActive() ? null : closeReason == null ? "closed" : closeReason;
    }

    /**
     * The reply to a {@code function/invoke} payload: {@code {"messageId":<the same>,"success":true,"output":"ok"}}, or
     * null when the payload has no messageId.
     */
    static String invokeReply(String payload) {
        String id;
        try {
            id = Json.string(Json.parseObject(payload), "messageId");
        } catch (IllegalArgumentException e) {
            return null;
        }
        return id == null ? null : "{\"messageId\":" + PayloadSpec.quote(id) + ",\"success\":true,\"output\":\"ok\"}";
    }

    @Override
    public void close() {
        closing = true;
        try {
            if (channel.isActive()) {
                channel.writeAndFlush(MqttMessage.DISCONNECT).awaitUninterruptibly(2000);
            }
            channel.close().awaitUninterruptibly(2000);
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5000);
        }
    }

    private int packetId() {
        return nextPacketId.updateAndGet(i -> i >= 65535 ? 1 : i + 1);
    }

    private void await(CompletableFuture<Void> f, Duration timeout, String what) throws IOException, InterruptedException {
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the device could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the device could not " + what + " within " + timeout.toMillis() + " ms"
                    + (closeReason() == null ? "" : " (" + closeReason() + ")"));
        }
    }

    private static MqttPublishMessage publish(String topic, String json, MqttQoS qos, int packetId) {
        ByteBuf payload = ByteBufUtil.writeUtf8(ByteBufAllocator.DEFAULT, json);
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                new MqttPublishVariableHeader(topic, qos == MqttQoS.AT_MOST_ONCE ? -1 : packetId), payload);
    }

    private void failAll(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        IOException e = new IOException(reason);
        connAck.completeExceptionally(e);
        pending.values().forEach(f -> f.completeExceptionally(e));
        pending.clear();
    }

    private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {
        private final String deviceId;
        private final String secret;

        Handler(String deviceId, String secret) {
            this.deviceId = deviceId;
            this.secret = secret;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            String username = Auth.username(deviceId, System.currentTimeMillis());
            ctx.writeAndFlush(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId(deviceId)
                    .cleanSession(true).keepAlive(KEEPALIVE_S).hasUser(true).username(username).hasPassword(true)
                    .password(Auth.password(secret, username).getBytes(StandardCharsets.UTF_8)).build());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            if (msg.decoderResult().isFailure()) {
                failAll("bad packet from the server: " + msg.decoderResult().cause());
                ctx.close();
                return;
            }
            switch (msg.fixedHeader().messageType()) {
                case CONNACK -> {
                    MqttConnectReturnCode rc = ((MqttConnAckMessage) msg).variableHeader().connectReturnCode();
                    if (rc == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        connAck.complete(null);
                    } else {
                        failAll("login refused: CONNACK " + rc.name());
                        ctx.close();
                    }
                }
                case SUBACK -> {
                    MqttSubAckMessage ack = (MqttSubAckMessage) msg;
                    CompletableFuture<Void> f = pending.remove(ack.variableHeader().messageId());
                    if (f != null) {
                        if (ack.payload().grantedQoSLevels().stream().allMatch(q -> q < 0x80)) {
                            f.complete(null);
                        } else {
                            f.completeExceptionally(new IOException("subscription refused: " + ack.payload().grantedQoSLevels()));
                        }
                    }
                }
                case PUBACK -> {
                    CompletableFuture<Void> f = pending.remove(((MqttPubAckMessage) msg).variableHeader().messageId());
                    if (f != null) {
                        f.complete(null);
                    }
                }
                case PUBLISH -> onPublish(ctx, (MqttPublishMessage) msg);
                default -> {
                    // PINGRESP and anything else: nothing to do
                }
            }
        }

        private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage p) {
            if (p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                ctx.write(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId()).build());
            } else if (p.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
                ctx.write(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREC, false, MqttQoS.AT_MOST_ONCE, false, 0),
                        MqttMessageIdVariableHeader.from(p.variableHeader().packetId())));
            }
            String topic = p.variableHeader().topicName();
            if (topic.equals(prefix + "function/invoke")) {
                lastInvokeNanos = System.nanoTime();
                String reply = invokeReply(p.payload().toString(StandardCharsets.UTF_8));
                if (reply == null) {
                    badInvokes.incrementAndGet();
                } else {
                    // QoS 1 as a real device would; its PUBACK is not awaited (an unknown id is ignored above)
                    ctx.write(publish(prefix + "function/invoke/reply", reply, MqttQoS.AT_LEAST_ONCE, packetId()));
                    invokes.incrementAndGet();
                }
            }
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent e && e.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(MqttMessage.PINGREQ);
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failAll("connection error: " + DeviceClient.describe(cause));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            failAll(closing ? "closed by the benchmark" : "connection closed by the server");
            super.channelInactive(ctx);
        }
    }
}
