package io.thingport.network.netty;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.RefusedHandshakes;
import java.net.InetSocketAddress;

/**
 * What every Netty server component has in common: its configuration, its {@link NettyServer} and the TLS handshakes
 * it refused ({@link RefusedHandshakes}, fed by {@link TlsHandshakes}). The status is the bound address plus those
 * refusals; the connection count is the server's open channels. Subclasses add how they close their connections (and
 * may count sessions instead of channels).
 */
public abstract class NettyServerComponent implements NetworkComponent {
    protected final NetworkComponentConfig config;
    protected final NettyServer server;
    protected final RefusedHandshakes refused;

    protected NettyServerComponent(NetworkComponentConfig config, NettyServer server, RefusedHandshakes refused) {
        this.config = config;
        this.server = server;
        this.refused = refused;
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
        return refused.status("listening on " + boundAddress());
    }
}
