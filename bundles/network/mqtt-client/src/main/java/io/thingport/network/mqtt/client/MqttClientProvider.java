package io.thingport.network.mqtt.client;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import java.nio.file.Path;
import java.nio.file.Paths;
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

    /** Where each component records the broker session it subscribed with ({@link BrokerSessions}); {@code null}: none. */
    private final Path sessionsDir;

    /**
     * In Karaf the records are kept under {@code data/thingport/mqtt-client/} ({@code karaf.data}); elsewhere none are,
     * so a changed client id or changed filters leave the old broker session as it is.
     */
    public MqttClientProvider() {
        this(sessionsDir(System.getProperty("karaf.data")));
    }

    private static Path sessionsDir(String karafData) {
        return karafData == null ? null : Paths.get(karafData, "thingport", "mqtt-client");
    }

    MqttClientProvider(Path sessionsDir) {
        this.sessionsDir = sessionsDir;
    }

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
        return MqttClientComponent.start(config, MqttClientSettings.from(config), listener, sessionsDir);
    }
}
