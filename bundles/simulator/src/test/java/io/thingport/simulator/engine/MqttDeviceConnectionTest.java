package io.thingport.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.thingport.api.device.SignedLogin;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's MQTT device connection against a small MQTT server on the loopback. */
class MqttDeviceConnectionTest {
    private static final String SECRET = "s3cr3t-s3cr3t";
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final Queue<String> serverGot = new ConcurrentLinkedQueue<>();
    private final Queue<String> events = new ConcurrentLinkedQueue<>();
    private Channel server;
    private volatile boolean ackPublishes = true;

    @BeforeEach
    void startServer() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new Broker());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @AfterEach
    void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Accepts the one signed login, acknowledges publishes, answers a subscription with a downlink. */
    private final class Broker extends SimpleChannelInboundHandler<MqttMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            switch (msg.fixedHeader().messageType()) {
                case CONNECT -> {
                    MqttConnectMessage c = (MqttConnectMessage) msg;
                    String user = c.payload().userName();
                    String password = new String(c.payload().passwordInBytes(), StandardCharsets.UTF_8);
                    boolean ok = password.equals(SignedLogin.sign(c.payload().clientIdentifier(), SECRET,
                            Long.parseLong(user.substring(user.indexOf('|') + 1))).password());
                    ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(ok ? MqttConnectReturnCode.CONNECTION_ACCEPTED
                            : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD).build());
                }
                case SUBSCRIBE -> {
                    MqttSubscribeMessage s = (MqttSubscribeMessage) msg;
                    serverGot.add("SUBSCRIBE " + s.payload().topicSubscriptions().get(0).topicName());
                    ctx.writeAndFlush(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE,
                            false, 0), new MqttPublishVariableHeader("/p/d/properties/read", 7),
                            Unpooled.copiedBuffer("{\"messageId\":\"m1\"}", StandardCharsets.UTF_8)));
                }
                case PUBLISH -> {
                    MqttPublishMessage p = (MqttPublishMessage) msg;
                    serverGot.add("PUBLISH " + p.variableHeader().topicName() + " " + p.payload().toString(StandardCharsets.UTF_8));
                    if (ackPublishes) {
                        ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId()).build());
                    }
                }
                case PUBACK -> serverGot.add("PUBACK");
                default -> serverGot.add(msg.fixedHeader().messageType().name());
            }
        }
    }

    private MqttDeviceConnection connection() {
        Bootstrap base = new Bootstrap().group(group).channel(NioSocketChannel.class);
        EventLoop loop = group.next();
        return new MqttDeviceConnection(base, loop, (InetSocketAddress) server.localAddress(), 0, 5_000,
                new MqttDeviceConnection.Listener() {
                    @Override
                    public void loggedIn(long connectNanos) {
                        events.add("loggedIn");
                    }

                    @Override
                    public void loginFailed(MqttDeviceConnection.Failure failure, String detail) {
                        events.add("loginFailed " + failure + " " + detail);
                    }

                    @Override
                    public void acked(Object context, long latencyNanos) {
                        events.add("acked " + context + (latencyNanos > 0 ? " latency" : ""));
                    }

                    @Override
                    public void dropped(Object context) {
                        events.add("dropped " + context);
                    }

                    @Override
                    public void message(String topic, String payload) {
                        events.add("message " + topic + " " + payload);
                    }

                    @Override
                    public void closed(boolean byUs, String detail) {
                        events.add("closed byUs=" + byUs);
                    }
                });
    }

    @Test
    void logsInSubscribesPublishesAndHearsDownlinks() {
        // Verifies the connection's whole life: a signed login, its subscription, a downlink acknowledged and handed over,
        // a QoS 1 publish matched to its PUBACK with a latency, the in-flight bound, and a polite disconnect.
        // GIVEN a device with the right secret
        MqttDeviceConnection c = connection();

        // WHEN it connects, publishes and disconnects
        c.connect(SignedLogin.sign("d", SECRET, System.currentTimeMillis()), List.of("/p/d/#"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("loggedIn"));
        c.loop().submit(() -> c.publish("/p/d/properties/report", "{\"temp\":1}", "r1", 16)).syncUninterruptibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("acked r1 latency"));
        ackPublishes = false;
        boolean[] sent = new boolean[2];
        c.loop().submit(() -> {
            sent[0] = c.publish("/p/d/properties/report", "{}", "r2", 1);
            sent[1] = c.publish("/p/d/properties/report", "{}", "r3", 1); // one already in flight: refused
        }).syncUninterruptibly();
        c.disconnect();

        // THEN the server saw the subscription and the report, the device heard the downlink, the unacknowledged report
        // was dropped and the session ended by the device
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("closed byUs=true"));
        assertThat(sent[0]).isTrue();
        assertThat(sent[1]).isFalse();
        assertThat(serverGot).contains("SUBSCRIBE /p/d/#", "PUBLISH /p/d/properties/report {\"temp\":1}", "PUBACK", "DISCONNECT");
        assertThat(events).contains("message /p/d/properties/read {\"messageId\":\"m1\"}", "dropped r2");
        assertThat(c.isConnected()).isFalse();
    }

    @Test
    void aRefusedLoginIsReportedOnce() {
        // Verifies that a login the server refuses ends the attempt as REFUSED, once, and publishes nothing.
        // GIVEN a device with a wrong secret
        MqttDeviceConnection c = connection();

        // WHEN it connects
        c.connect(SignedLogin.sign("d", "wrong-secret", System.currentTimeMillis()), List.of());

        // THEN the attempt fails as refused, and nothing can be published
        await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
        assertThat(events).singleElement().asString().startsWith("loginFailed REFUSED login refused: CONNACK 4");
        boolean sent = c.loop().submit(() -> c.publish("/p/d/x", "{}", "r", 16)).syncUninterruptibly().getNow();
        assertThat(sent).isFalse();
    }
}
