package io.thingport.network.mqtt.server;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import org.osgi.service.component.annotations.Component;

/** The {@code mqtt-server} network component type. */
@Component(service = NetworkComponentProvider.class, property = "type=" + MqttServerProvider.TYPE)
public final class MqttServerProvider implements NetworkComponentProvider {
    public static final String TYPE = "mqtt-server";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Transport transport() {
        return Transport.MQTT;
    }

    @Override
    public NetworkComponent start(NetworkComponentConfig config, TransportListener listener) {
        return MqttServerComponent.start(config, MqttServerSettings.from(config), listener);
    }
}
