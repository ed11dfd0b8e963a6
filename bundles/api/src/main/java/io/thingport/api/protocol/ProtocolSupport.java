package io.thingport.api.protocol;

import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A protocol package: how devices of some kind talk, per transport. A bundle registers one as an OSGi service; a
 * device access gateway binds it to a network component by {@link #id()}.
 */
@ConsumerType
public interface ProtocolSupport {
    /** Stable id, referenced from gateway configuration (e.g. {@code official}). */
    String id();

    String name();

    String version();

    /** One or two sentences for {@code iot:protocol-list}. */
    String description();

    Set<Transport> transports();

    /** @throws IllegalArgumentException when {@code transport} is not in {@link #transports()} */
    DeviceCodec codec(Transport transport);

    /** @throws IllegalArgumentException when {@code transport} is not in {@link #transports()} */
    Authenticator authenticator(Transport transport);
}
