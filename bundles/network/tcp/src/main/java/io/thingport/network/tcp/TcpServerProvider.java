package io.thingport.network.tcp;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code tcp-server} network component type: a TCP server (optionally TLS) whose devices log in with their first
 * frame. Keys and defaults: {@link TcpServerSettings}; framing: {@link TcpFraming}.
 */
@Component(service = NetworkComponentProvider.class, property = "type=" + TcpServerSettings.TYPE)
public final class TcpServerProvider implements NetworkComponentProvider {
    public static final String TYPE = TcpServerSettings.TYPE;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Transport transport() {
        return Transport.TCP;
    }

    @Override
    public NetworkComponent start(NetworkComponentConfig config, TransportListener listener) {
        return TcpServerComponent.start(config, TcpServerSettings.from(config), listener);
    }
}
