package io.thingport.network.mqtt.client;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code mqtt-client} network component type: logs into an external MQTT broker, subscribes to the devices'
 * topics and serves the devices behind it (the broker authenticated them). Keys: see {@link MqttClientSettings}.
 *
 * <p>{@link #start} refuses bad configuration ({@code INVALID_ARGUMENT}) but not an unreachable broker: it makes the
 * first connection attempt (waiting at most {@code connectTimeout} + 5 s), and when that fails the component still
 * starts, logs the failure and tries again every {@code reconnectDelay} seconds.
 */
@Component(service = NetworkComponentProvider.class, property = "type=" + MqttClientSettings.TYPE)
public final class MqttClientProvider implements NetworkComponentProvider {
    public static final String TYPE = MqttClientSettings.TYPE;

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
        return MqttClientComponent.start(config, MqttClientSettings.from(config), listener);
    }
}
