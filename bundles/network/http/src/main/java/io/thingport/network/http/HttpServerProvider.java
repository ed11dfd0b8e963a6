package io.thingport.network.http;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code http-server} network component type: devices send uplinks as HTTP requests and receive their downlinks
 * in the responses. Keys and defaults: see {@link HttpServerSettings}; the wire protocol: see {@link HttpServerComponent}.
 */
@Component(service = NetworkComponentProvider.class, property = "type=" + HttpServerProvider.TYPE)
public final class HttpServerProvider implements NetworkComponentProvider {
    public static final String TYPE = "http-server";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Transport transport() {
        return Transport.HTTP;
    }

    @Override
    public NetworkComponent start(NetworkComponentConfig config, TransportListener listener) {
        return HttpServerComponent.start(config, HttpServerSettings.from(config), listener);
    }
}
