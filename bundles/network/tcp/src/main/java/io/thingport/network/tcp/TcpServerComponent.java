package io.thingport.network.tcp;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.RefusedHandshakes;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import io.thingport.network.netty.FrameConnectionHandler;
import io.thingport.network.netty.FrameConnectionSettings;
import io.thingport.network.netty.FrameWriter;
import io.thingport.network.netty.NettyServer;
import io.thingport.network.netty.NettyServerComponent;
import io.thingport.network.netty.NettyTls;
import io.thingport.network.netty.TlsHandshakes;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running TCP server: one bound port, its connections and its event loops. */
final class TcpServerComponent extends NettyServerComponent {
    private static final Logger LOG = LoggerFactory.getLogger(TcpServerComponent.class);


    private TcpServerComponent(NetworkComponentConfig config, NettyServer server, RefusedHandshakes refused) {
        super(config, server, refused);
    }

    static TcpServerComponent start(NetworkComponentConfig config, TcpServerSettings settings, TransportListener listener) {
        Optional<SslContext> tls = NettyTls.serverContext(config);
        FrameConnectionSettings frames = new FrameConnectionSettings(config.id(), Transport.TCP, settings.maxMessageLength(),
                settings.maxInflight(), settings.authTimeout(), settings.idleTimeout());
        FrameWriter writer = TcpFraming.writer(config.id(), settings);
        RefusedHandshakes refused = new RefusedHandshakes(config.id(), LOG::warn);
        NettyServer server = NettyServer.start(config, "tcp", settings.host(), settings.port(), settings.ioThreads(), ch -> {
            ChannelPipeline p = ch.pipeline();
            tls.ifPresent(ssl -> TlsHandshakes.addTo(p, "tls", ssl.newHandler(ch.alloc()), refused));
            p.addLast("framing", TcpFraming.decoder(settings));
            p.addLast("frames", new FrameConnectionHandler(ch, frames, listener, writer));
        });
        LOG.info("Network component {}: TCP server listening on {} ({} framing{})", config.id(), server.boundAddress(),
                settings.framing().key(), tls.isPresent() ? ", TLS" : "");
        return new TcpServerComponent(config, server, refused);
    }

    @Override
    public void close() {
        server.close(() -> FrameConnectionHandler.closeAll(server.connections(), "network component " + config.id() + " stopped", 3000));
        LOG.info("Network component {}: TCP server stopped", config.id());
    }
}
