package io.thingport.network.coap;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code coap-server} network component type: a CoAP server on Eclipse Californium, plain ({@code coap}) or
 * DTLS ({@code coaps}, with a managed certificate and/or a pre-shared key). Keys: see {@link CoapServerSettings}.
 * Wire protocol: see the bundle's README.
 */
@Component(service = NetworkComponentProvider.class, property = "type=" + CoapServerSettings.TYPE)
public final class CoapServerProvider implements NetworkComponentProvider {
    @Override
    public String type() {
        return CoapServerSettings.TYPE;
    }

    @Override
    public Transport transport() {
        return Transport.COAP;
    }

    @Override
    public NetworkComponent start(NetworkComponentConfig config, TransportListener listener) {
        return CoapServerComponent.start(config, CoapServerSettings.from(config), listener);
    }
}
