package io.thingport.network.netty;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import java.net.InetSocketAddress;

/**
 * What every Netty server component has in common: its configuration, its {@link NettyServer} and the TLS handshakes
 * it refused. The status is the bound address plus those refusals; the connection count is the server's open
 * channels. Subclasses add how they close their connections (and may count sessions instead of channels).
 */
public abstract class NettyServerComponent implements NetworkComponent {
    protected final NetworkComponentConfig config;
    protected final NettyServer server;
    protected final TlsHandshakes handshakes;

    protected NettyServerComponent(NetworkComponentConfig config, NettyServer server, TlsHandshakes handshakes) {
        this.config = config;
        this.server = server;
        this.handshakes = handshakes;
    }

    @Override
    public NetworkComponentConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress boundAddress() {
        return server.boundAddress();
    }

    @Override
    public int connectionCount() {
        return server.connections().size();
    }

    @Override
    public String status() {
        return handshakes.status("listening on " + boundAddress());
    }
}
