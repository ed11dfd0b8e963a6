package io.thingport.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
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
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A device on MQTT: one MQTT 3.1.1 connection, CONNECT with the signed credentials, QoS 1 PUBLISH reports; a report
 * is confirmed by its PUBACK (latency = PUBLISH written to PUBACK received, matched by packet id).
 */
final class MqttDeviceClient extends DeviceClient {
    /** A PUBLISH waiting for its PUBACK. */
    private static final class Pending {
        final long sentNanos;
        final boolean measured;
        final long seq;
        final String report; // only kept for sample devices

        Pending(long sentNanos, boolean measured, long seq, String report) {
            this.sentNanos = sentNanos;
            this.measured = measured;
            this.seq = seq;
            this.report = report;
        }
    }

    private final Bootstrap base;
    private final InetSocketAddress address;

    // ---- event-loop confined ----
    private Channel channel;
    private final IntObjectHashMap<Pending> inflight = new IntObjectHashMap<>();
    private int nextPacketId = 1;

    MqttDeviceClient(LoadRun run, Device device, int loopIndex, EventLoop loop, Bootstrap base, InetSocketAddress address) {
        super(run, device, loopIndex, loop);
        this.base = base;
        this.address = address;
    }

    @Override
    void connect() {
        loop.execute(() -> channel = openTcp(base, address, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline p = ch.pipeline();
                p.addLast("decoder", new MqttDecoder(64 * 1024));
                p.addLast("encoder", MqttEncoder.INSTANCE);
                int keepalive = run.config.keepaliveS;
                if (keepalive > 0) {
                    // ping after 3/4 of the keep-alive without any other packet written
                    long pingMs = Math.max(1000L, keepalive * 750L);
                    p.addLast("idle", new IdleStateHandler(0, pingMs, 0, TimeUnit.MILLISECONDS));
                }
                p.addLast("device", new Handler());
            }
        }));
    }

    @Override
    void trySend() {
        Channel ch = channel;
        if (!connected || ch == null || !ch.isActive()) {
            run.stats.skipped.increment();
            return;
        }
        if (inflight.size() >= run.config.maxInflight) {
            run.stats.throttled.increment();
            return;
        }
        int packetId = allocatePacketId();
        if (packetId < 0) {
            run.stats.throttled.increment();
            return;
        }
        String json = nextReport();
        ByteBuf buf = ch.alloc().buffer(json.length() + 8);
        ByteBufUtil.writeUtf8(buf, json);
        // built directly: MqttMessageBuilders.publish() would copy the payload into an unpooled buffer
        MqttPublishMessage publish = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader(reportTopic, packetId), buf);
        boolean measured = countSent();
        inflight.put(packetId, new Pending(System.nanoTime(), measured, seq, sample ? json : null));
        ch.writeAndFlush(publish).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                countError("write failed", describe(f.cause()));
                f.channel().close();
            }
        });
    }

    @Override
    void disconnect() {
        loop.execute(() -> {
            Channel ch = channel;
            if (ch == null) {
                return;
            }
            if (connected && ch.isActive()) {
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

    /**
     * Runs the MQTT codec once on the calling thread (an event loop, before the ramp-up), so that class loading does
     * not show up as connect latency of the first devices.
     */
    static void prime(PayloadSpec payload) {
        String user = Auth.username("prime", System.currentTimeMillis());
        String pass = Auth.password("prime", user);
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);
        ch.writeOutbound(MqttMessageBuilders.connect().clientId("prime").username(user).hasUser(true)
                .password(pass.getBytes(StandardCharsets.UTF_8)).hasPassword(true)
                .protocolVersion(MqttVersion.MQTT_3_1_1).build());
        ch.writeOutbound(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader("/prime", 1),
                Unpooled.copiedBuffer(payload.report("prime", 1), StandardCharsets.UTF_8)));
        ByteBuf out;
        while ((out = ch.readOutbound()) != null) {
            ch.writeInbound(out); // decode our own packets: exercises the decoder
        }
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x20, 0x02, 0x00, 0x00, 0x40, 0x02, 0x00, 0x01}));
        Object in;
        while ((in = ch.readInbound()) != null) {
            ReferenceCountUtil.release(in);
        }
        ch.finishAndReleaseAll();
    }

    private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            String username = Auth.username(device.id(), System.currentTimeMillis());
            String password = Auth.password(device.secret(), username);
            ctx.writeAndFlush(MqttMessageBuilders.connect()
                    .protocolVersion(MqttVersion.MQTT_3_1_1)
                    .clientId(device.id())
                    .cleanSession(true)
                    .keepAlive(run.config.keepaliveS)
                    .hasUser(true)
                    .username(username)
                    .hasPassword(true)
                    .password(password.getBytes(StandardCharsets.UTF_8))
                    .build());
            startLoginTimeout("CONNACK", ctx::close);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            if (msg.decoderResult().isFailure()) {
                String detail = describe(msg.decoderResult().cause());
                if (!resolved) {
                    resolveFailure(false, "bad packet before CONNACK", detail);
                } else {
                    countError("bad packet from server", detail);
                }
                ctx.close();
                return;
            }
            MqttFixedHeader header = msg.fixedHeader();
            MqttMessageType type = header.messageType();
            switch (type) {
                case PUBACK -> onPubAck(((MqttPubAckMessage) msg).variableHeader().messageId());
                case CONNACK -> onConnAck(ctx, (MqttConnAckMessage) msg);
                case PINGRESP -> {
                    // nothing to do: the broker is alive
                }
                case PUBLISH -> {
                    run.stats.inbound.increment();
                    MqttPublishMessage p = (MqttPublishMessage) msg;
                    if (header.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                        ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId()).build());
                    } else if (header.qosLevel() == MqttQoS.EXACTLY_ONCE) {
                        ctx.writeAndFlush(new MqttMessage(
                                new MqttFixedHeader(MqttMessageType.PUBREC, false, MqttQoS.AT_MOST_ONCE, false, 0),
                                MqttMessageIdVariableHeader.from(p.variableHeader().packetId())));
                    }
                }
                case PUBREL -> {
                    int id = ((MqttMessageIdVariableHeader) msg.variableHeader()).messageId();
                    ctx.writeAndFlush(new MqttMessage(
                            new MqttFixedHeader(MqttMessageType.PUBCOMP, false, MqttQoS.AT_MOST_ONCE, false, 0),
                            MqttMessageIdVariableHeader.from(id)));
                }
                default -> countError("unexpected packet from server", type.name());
            }
        }

        private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage msg) {
            if (resolved) {
                countError("unexpected packet from server", "second CONNACK");
                return;
            }
            MqttConnectReturnCode rc = msg.variableHeader().connectReturnCode();
            if (rc == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                loginSucceeded();
            } else {
                resolveFailure(true, "login failed", "CONNACK rc=" + (rc.byteValue() & 0xff) + " " + rc.name());
                ctx.close();
            }
        }

        private void onPubAck(int packetId) {
            Pending p = inflight.remove(packetId);
            if (p == null) {
                run.stats.unexpectedAcks.increment();
                return;
            }
            countConfirmed(p.measured, System.nanoTime() - p.sentNanos, p.seq, p.report);
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
            if (!resolved) {
                resolveFailure(false, "connection error before CONNACK", describe(cause));
            } else if (loggedIn) {
                countError(cause instanceof IOException ? "connection lost" : "exception", describe(cause));
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancelLoginTimeout();
            sessionDown();
            if (!resolved) {
                resolveFailure(false, "connection closed before CONNACK", "by the server");
            } else if (loggedIn) {
                countError("connection closed", "by the server");
            }
            if (!inflight.isEmpty()) {
                for (Pending p : inflight.values()) {
                    countDropped(p.measured);
                }
                inflight.clear();
            }
            super.channelInactive(ctx);
        }
    }
}
