package io.thingport.network.udp;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code udp} network component type: datagram devices on Eclipse Californium's UDPConnector, or Scandium's
 * DTLSConnector when DTLS is on (managed certificate and/or pre-shared key). A device is its login (the first
 * datagram from an address) and that address. Keys: see {@link UdpSettings}; behaviour: see the bundle's README.
 */
@Component(service = NetworkComponentProvider.class, property = "type=" + UdpSettings.TYPE)
public final class UdpProvider implements NetworkComponentProvider {
    @Override
    public String type() {
        return UdpSettings.TYPE;
    }

    @Override
    public Transport transport() {
        return Transport.UDP;
    }

    @Override
    public NetworkComponent start(NetworkComponentConfig config, TransportListener listener) {
        return UdpComponent.start(config, UdpSettings.from(config), listener);
    }
}
