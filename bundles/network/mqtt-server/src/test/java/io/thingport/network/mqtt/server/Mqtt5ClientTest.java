package io.thingport.network.mqtt.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.network.testkit.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MQTT 5 reason codes, with Netty's MQTT codec as the client (Paho's v3 client speaks only 3.1/3.1.1). */
class Mqtt5ClientTest {
    private final RecordingListener listener = new RecordingListener();
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private NetworkComponent server;

    @BeforeEach
    void start() {
        server = new MqttServerProvider().start(new NetworkComponentConfig("v5", "mqtt-server",
                Map.of("host", "127.0.0.1", "port", "0")), listener);
    }

    @AfterEach
    void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private record Client(Channel channel, BlockingQueue<MqttMessage> inbox) {
        MqttMessage next() throws InterruptedException {
            MqttMessage m = inbox.poll(5, TimeUnit.SECONDS);
            assertThat(m).as("a message from the server within 5 s").isNotNull();
            return m;
        }
    }

    private Client connect(String password) throws InterruptedException {
        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel c) {
                c.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new SimpleChannelInboundHandler<MqttMessage>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
                        inbox.add(msg);
                    }
                });
            }
        }).connect("127.0.0.1", server.boundAddress().getPort()).sync().channel();
        ch.writeAndFlush(MqttMessageBuilders.connect().clientId("d1").protocolVersion(MqttVersion.MQTT_5)
                .username("d1|1").password(password.getBytes(StandardCharsets.UTF_8)).hasUser(true).hasPassword(true)
                .keepAlive(30).cleanSession(true).build()).sync();
        return new Client(ch, inbox);
    }

    @Test
    void refusalsUseMqtt5ReasonCodes() throws Exception {
        // Verifies CONNACK 0x86 for bad credentials and 0x87 for a disabled device.
        MqttConnAckMessage bad = (MqttConnAckMessage) connect("wrong").next();
        assertThat(bad.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD);
        MqttConnAckMessage disabled = (MqttConnAckMessage) connect("disabled").next();
        assertThat(disabled.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
    }

    @Test
    void acceptedConnectionAdvertisesLimitsAndRefusesForeignTopicsWithPubackReason() throws Exception {
        // Verifies the MQTT 5 CONNACK properties and PUBACK reason 0x87 for a forbidden topic, the connection kept.
        Client client = connect("good");
        MqttConnAckMessage ack = (MqttConnAckMessage) client.next();
        assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        MqttProperties props = ack.variableHeader().properties();
        assertThat(props.getProperty(MqttProperties.MqttPropertyType.MAXIMUM_QOS.value()).value()).isEqualTo(1);

        client.channel().writeAndFlush(MqttMessageBuilders.publish().topicName("/forbidden/x").qos(MqttQoS.AT_LEAST_ONCE)
                .messageId(7).payload(Unpooled.wrappedBuffer("{}".getBytes(StandardCharsets.UTF_8))).build()).sync();
        MqttMessage refused = client.next();
        assertThat(refused.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
        assertThat(((MqttPubReplyMessageVariableHeader) refused.variableHeader()).reasonCode()).isEqualTo((byte) 0x87);

        client.channel().writeAndFlush(MqttMessageBuilders.publish().topicName("/p1/d1/properties/report").qos(MqttQoS.AT_LEAST_ONCE)
                .messageId(8).payload(Unpooled.wrappedBuffer("{}".getBytes(StandardCharsets.UTF_8))).build()).sync();
        MqttMessage accepted = client.next();
        assertThat(((MqttPubReplyMessageVariableHeader) accepted.variableHeader()).messageId()).isEqualTo(8);
        assertThat(((MqttPubReplyMessageVariableHeader) accepted.variableHeader()).reasonCode()).isEqualTo((byte) 0);
        assertThat(client.channel().isActive()).isTrue();
        client.channel().close();
    }
}
