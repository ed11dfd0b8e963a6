package io.thingport.bench;

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
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One simulated device = one MQTT connection. All mutable state except {@link #connected} is
 * confined to the device's event loop ({@link #loop}); the pacer hands work over with
 * {@code loop.execute(...)}.
 */
final class DeviceClient {
    /** A PUBLISH waiting for its PUBACK. */
    private static final class Pending {
        final long sentNanos;
        final boolean measured;

        Pending(long sentNanos, boolean measured) {
            this.sentNanos = sentNanos;
            this.measured = measured;
        }
    }

    private final LoadRun run;
    private final Device device;
    final int loopIndex;
    final EventLoop loop;
    private final String topic;

    /** Written on the loop, read by the pacer thread. */
    volatile boolean connected;

    // ---- event-loop confined ----
    private Channel channel;
    private long connectStartNanos;
    private boolean resolved;      // the connect attempt has an outcome (success or failure)
    private boolean loggedIn;      // CONNACK 0 received on this connection
    private boolean errorCounted;  // one error per lost session
    private ScheduledFuture<?> connackTimeout;
    private final IntObjectHashMap<Pending> inflight = new IntObjectHashMap<>();
    private int nextPacketId = 1;
    private long seq;

    DeviceClient(LoadRun run, Device device, int loopIndex, EventLoop loop, String topic) {
        this.run = run;
        this.device = device;
        this.loopIndex = loopIndex;
        this.loop = loop;
        this.topic = topic;
    }

    String id() {
        return device.id();
    }

    /** Starts the TCP connect; callable from any thread. */
    void connect(Bootstrap base, InetSocketAddress address) {
        loop.execute(() -> {
            connectStartNanos = System.nanoTime();
            ChannelFuture f = base.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
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
            }).connect(address);
            channel = f.channel();
            f.addListener((ChannelFutureListener) cf -> {
                if (!cf.isSuccess()) {
                    Throwable t = cf.cause();
                    resolveFailure(false, "connect failed", t == null ? "unknown" : describe(t));
                }
            });
        });
    }

    /** Sends one report if the device is up and below --max-inflight. Must run on {@link #loop}. */
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
        StringBuilder json = new StringBuilder(128);
        run.payload.appendReport(json, run.runTag + "-" + (++seq));
        ByteBuf buf = ch.alloc().buffer(json.length() + 8);
        ByteBufUtil.writeUtf8(buf, json);
        // built directly: MqttMessageBuilders.publish() would copy the payload into an unpooled buffer
        MqttPublishMessage publish = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader(topic, packetId), buf);
        boolean measured = run.measuring;
        inflight.put(packetId, new Pending(System.nanoTime(), measured));
        run.stats.sent.increment();
        if (measured) {
            run.stats.measuredSent.increment();
        }
        ch.writeAndFlush(publish).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                countError("write failed", describe(f.cause()));
                f.channel().close();
            }
        });
    }

    /** Sends DISCONNECT and closes; callable from any thread. */
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

    private void resolveFailure(boolean login, String category, String detail) {
        if (resolved) {
            return;
        }
        resolved = true;
        cancelConnackTimeout();
        if (login) {
            run.stats.loginFailures.increment();
        } else {
            run.stats.connectErrors.increment();
        }
        run.stats.reason(category, detail);
        run.connectDone.countDown();
    }

    private void countError(String category, String detail) {
        if (errorCounted || run.shuttingDown) {
            return;
        }
        errorCounted = true;
        run.stats.errors.increment();
        run.stats.reason(category, detail);
    }

    private void cancelConnackTimeout() {
        if (connackTimeout != null) {
            connackTimeout.cancel(false);
            connackTimeout = null;
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " " + m);
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
            long timeoutMs = (long) (run.config.connackTimeoutS * 1000);
            connackTimeout = ctx.executor().schedule(() -> {
                connackTimeout = null;
                if (!resolved) {
                    resolveFailure(false, "no CONNACK", "within " + timeoutMs + " ms");
                    ctx.close();
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
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
                    run.stats.inboundPublishes.increment();
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
                default -> {
                    countError("unexpected packet from server", type.name());
                }
            }
        }

        private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage msg) {
            if (resolved) {
                countError("unexpected packet from server", "second CONNACK");
                return;
            }
            MqttConnectReturnCode rc = msg.variableHeader().connectReturnCode();
            if (rc == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                resolved = true;
                loggedIn = true;
                cancelConnackTimeout();
                run.connectLatency.recordNanos(System.nanoTime() - connectStartNanos);
                run.stats.everConnected.increment();
                run.stats.connected.incrementAndGet();
                connected = true;
                run.connectDone.countDown();
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
            long latency = System.nanoTime() - p.sentNanos;
            run.stats.acked.increment();
            run.intervalLatency.recordNanos(latency);
            if (p.measured) {
                run.stats.measuredAcked.increment();
                run.latency.recordNanos(latency);
            }
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
            cancelConnackTimeout();
            if (connected) {
                connected = false;
                run.stats.connected.decrementAndGet();
            }
            if (!resolved) {
                resolveFailure(false, "connection closed before CONNACK", "by the server");
            } else if (loggedIn) {
                countError("connection closed", "by the server");
            }
            if (!inflight.isEmpty()) {
                for (Pending p : inflight.values()) {
                    run.stats.droppedOnClose.increment();
                    if (p.measured) {
                        run.stats.measuredDropped.increment();
                    }
                }
                inflight.clear();
            }
            super.channelInactive(ctx);
        }
    }
}
