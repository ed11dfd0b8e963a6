package io.thingport.network.websocket;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.RefusedHandshakes;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import io.thingport.network.netty.FrameConnectionHandler;
import io.thingport.network.netty.FrameConnectionSettings;
import io.thingport.network.netty.NettyServer;
import io.thingport.network.netty.NettyServerComponent;
import io.thingport.network.netty.NettyTls;
import io.thingport.network.netty.TlsHandshakes;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running WebSocket server. Pipeline: [TLS] → HTTP codec → request aggregator (8 KiB, the upgrade request) → path
 * check (404) → WebSocket handshake and frame decoding (frames up to {@code maxMessageLength}, pings answered,
 * close frames handled) → message aggregation (fragmented messages up to {@code maxMessageLength}) → adapter →
 * {@link FrameConnectionHandler}.
 */
final class WebSocketServerComponent extends NettyServerComponent {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketServerComponent.class);
    private static final int MAX_UPGRADE_REQUEST = 8192;



    private WebSocketServerComponent(NetworkComponentConfig config, NettyServer server, RefusedHandshakes refused) {
        super(config, server, refused);
    }

    static WebSocketServerComponent start(NetworkComponentConfig config, WebSocketServerSettings settings, TransportListener listener) {
        Optional<SslContext> tls = NettyTls.serverContext(config);
        FrameConnectionSettings frames = new FrameConnectionSettings(config.id(), Transport.WEBSOCKET, settings.maxMessageLength(),
                settings.maxInflight(), settings.authTimeout(), settings.idleTimeout());
        WebSocketServerProtocolConfig protocol = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(settings.path())
                .checkStartsWith(true) // the exact path (without query) is checked by PathFilter
                .allowExtensions(false)
                .maxFramePayloadLength(settings.maxMessageLength())
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(TimeUnit.SECONDS.toMillis(settings.authTimeout()))
                .build();
        RefusedHandshakes refused = new RefusedHandshakes(config.id(), LOG::warn);
        NettyServer server = NettyServer.start(config, "websocket", settings.host(), settings.port(), settings.ioThreads(), ch -> {
            ChannelPipeline p = ch.pipeline();
            tls.ifPresent(ssl -> TlsHandshakes.addTo(p, "tls", ssl.newHandler(ch.alloc()), refused));
            p.addLast("http", new HttpServerCodec());
            p.addLast("http-aggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST));
            p.addLast("path", new WebSocketFrames.PathFilter(settings.path()));
            p.addLast("websocket", new WebSocketServerProtocolHandler(protocol));
            p.addLast("websocket-aggregator", new WebSocketFrameAggregator(settings.maxMessageLength()));
            p.addLast("websocket-frames", new WebSocketFrames.Adapter(settings.maxMessageLength()));
            p.addLast("frames", new FrameConnectionHandler(ch, frames, listener, WebSocketFrames.WRITER));
        });
        LOG.info("Network component {}: WebSocket server listening on {} path {}{}", config.id(), server.boundAddress(),
                settings.path(), tls.isPresent() ? " (TLS)" : "");
        return new WebSocketServerComponent(config, server, refused);
    }

    @Override
    public void close() {
        server.close(() -> FrameConnectionHandler.closeAll(server.connections(), "network component " + config.id() + " stopped", 3000));
        LOG.info("Network component {}: WebSocket server stopped", config.id());
    }
}
