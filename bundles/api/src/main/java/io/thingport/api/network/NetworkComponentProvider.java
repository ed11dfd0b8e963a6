package io.thingport.api.network;

import io.thingport.api.protocol.Transport;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A network component type (MQTT server, TCP server, ...), registered as an OSGi service with the service property
 * {@code type} equal to {@link #type()}. The platform asks it to start one component per configuration.
 */
@ConsumerType
public interface NetworkComponentProvider {
    /** Stable type name used in configuration, e.g. {@code mqtt-server}. */
    String type();

    Transport transport();

    /**
     * Validates {@code config} and starts a component; the returned component is bound and accepting.
     *
     * @throws io.thingport.api.ThingportException {@code INVALID_ARGUMENT} naming the bad key, or {@code CONFLICT}
     *                                             when the port is in use
     */
    NetworkComponent start(NetworkComponentConfig config, TransportListener listener);
}
