package io.thingport.network.websocket;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code websocket-server} network component type: a WebSocket server ({@code ws://}, or {@code wss://} with a
 * certificate) whose devices log in with their first message. Keys and defaults: {@link WebSocketServerSettings}.
 */
@Component(service = NetworkComponentProvider.class, property = "type=" + WebSocketServerSettings.TYPE)
public final class WebSocketServerProvider implements NetworkComponentProvider {
    public static final String TYPE = WebSocketServerSettings.TYPE;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Transport transport() {
        return Transport.WEBSOCKET;
    }

    @Override
    public NetworkComponent start(NetworkComponentConfig config, TransportListener listener) {
        return WebSocketServerComponent.start(config, WebSocketServerSettings.from(config), listener);
    }
}
