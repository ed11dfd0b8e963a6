package io.thingport.network.mqtt.server;

import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.RefusedHandshakes;
import io.thingport.api.network.TransportListener;
import io.thingport.network.netty.NettyServer;
import io.thingport.network.netty.NettyServerComponent;
import io.thingport.network.netty.NettyTls;
import io.thingport.network.netty.TlsHandshakes;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running MQTT server: one bound port, its connections and its event loops. With TLS, Netty's SslHandler is first
 * in each connection's pipeline; the CONNECT is only read after the handshake, so its credentials carry the verified
 * client certificate chain. {@link MqttLengthGuard} ahead of the decoder refuses an oversized or malformed packet as
 * soon as its fixed header is read.
 */
final class MqttServerComponent extends NettyServerComponent {
    private static final Logger LOG = LoggerFactory.getLogger(MqttServerComponent.class);

    private MqttServerComponent(NetworkComponentConfig config, NettyServer server, RefusedHandshakes refused) {
        super(config, server, refused);
    }

    static MqttServerComponent start(NetworkComponentConfig config, MqttServerSettings settings, TransportListener listener) {
        // Checked before any thread or port is taken: a bad certificate or clientAuth leaves nothing behind.
        SslContext tls = NettyTls.serverContext(config).orElse(null);
        RefusedHandshakes refused = new RefusedHandshakes(config.id(), LOG::warn);
        NettyServer server = NettyServer.start(config, "mqtt", settings.host(), settings.port(), settings.ioThreads(), ch -> {
            if (tls != null) {
                SslHandler ssl = tls.newHandler(ch.alloc());
                ssl.setHandshakeTimeout(settings.connectTimeout(), TimeUnit.SECONDS);
                TlsHandshakes.addTo(ch.pipeline(), "ssl", ssl, refused);
            }
            ch.pipeline()
                    .addLast("flush", new FlushConsolidationHandler(256, true))
                    .addLast("idle", new IdleStateHandler(settings.connectTimeout(), 0, 0, TimeUnit.SECONDS))
                    .addLast("length", new MqttLengthGuard(settings.maxMessageLength()))
                    .addLast("decoder", new MqttDecoder(settings.maxMessageLength()))
                    .addLast("encoder", MqttEncoder.INSTANCE)
                    .addLast("mqtt", new MqttConnectionHandler(ch, settings, listener));
        });
        return new MqttServerComponent(config, server, refused);
    }

    @Override
    public void close() {
        server.close(() -> server.connections().forEach(ch -> MqttConnectionHandler.closeReason(ch, "network component "
                + config.id() + " stopped")));
    }
}
