package io.thingport.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.thingport.api.device.SignedLogin;
import io.thingport.simulator.engine.MqttDeviceConnection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A device on MQTT: the platform's own {@link MqttDeviceConnection} (the engine its virtual devices use: MQTT 3.1.1,
 * CONNECT with the signed credentials, QoS 1 PUBLISH reports confirmed by their PUBACK, latency = PUBLISH written to
 * PUBACK received), counted the bench's way.
 */
final class MqttDeviceClient extends DeviceClient {
    /** A PUBLISH waiting for its PUBACK. */
    private record Pending(boolean measured, long seq, String report) {
    }

    private final MqttDeviceConnection connection;

    MqttDeviceClient(LoadRun run, Device device, int loopIndex, EventLoop loop, Bootstrap base, InetSocketAddress address) {
        super(run, device, loopIndex, loop);
        this.connection = new MqttDeviceConnection(base, loop, address, run.config.keepaliveS,
                (long) (run.config.connackTimeoutS * 1000), new Events());
    }

    @Override
    void connect() {
        loop.execute(() -> {
            connectStartNanos = System.nanoTime();
            connection.connect(Auth.login(device, System.currentTimeMillis()), List.of());
        });
    }

    @Override
    void trySend() {
        if (!connected || !connection.isConnected()) {
            run.stats.skipped.increment();
            return;
        }
        if (connection.inflight() >= run.config.maxInflight) {
            run.stats.throttled.increment();
            return;
        }
        String json = nextReport();
        boolean measured = run.measuring;
        if (!connection.publish(reportTopic, json, new Pending(measured, seq, sample ? json : null), run.config.maxInflight)) {
            seq--;
            run.stats.throttled.increment();
            return;
        }
        countSent(measured);
    }

    @Override
    void disconnect() {
        connection.disconnect();
    }

    /**
     * Runs the MQTT codec once on the calling thread (an event loop, before the ramp-up), so that class loading does
     * not show up as connect latency of the first devices.
     */
    static void prime(PayloadSpec payload) {
        SignedLogin login = SignedLogin.sign("prime", "prime", System.currentTimeMillis());
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);
        ch.writeOutbound(MqttMessageBuilders.connect().clientId("prime").username(login.username()).hasUser(true)
                .password(login.password().getBytes(StandardCharsets.UTF_8)).hasPassword(true)
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

    /** The connection's events, on the device's loop. */
    private final class Events implements MqttDeviceConnection.Listener {
        @Override
        public void loggedIn(long connectNanos) {
            loginSucceeded();
        }

        @Override
        public void loginFailed(MqttDeviceConnection.Failure failure, String detail) {
            if (failure == MqttDeviceConnection.Failure.REFUSED) {
                resolveFailure(true, "login failed", detail);
            } else {
                resolveFailure(false, "connect failed", detail);
            }
        }

        @Override
        public void acked(Object context, long latencyNanos) {
            Pending p = (Pending) context;
            countConfirmed(p.measured(), latencyNanos, p.seq(), p.report());
        }

        @Override
        public void dropped(Object context) {
            countDropped(((Pending) context).measured());
        }

        @Override
        public void message(String topic, String payload) {
            run.stats.inbound.increment();
        }

        @Override
        public void closed(boolean byUs, String detail) {
            sessionDown();
            if (!byUs) {
                countError("connection closed", detail);
            }
        }
    }
}
