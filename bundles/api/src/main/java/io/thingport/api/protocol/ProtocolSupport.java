package io.thingport.api.protocol;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A protocol package: how devices of some kind talk, per transport. A device access gateway binds it to a network
 * component by {@link #id()}.
 *
 * <p>Two ways to provide one: a bundle registers it as an OSGi service (e.g. with Declarative Services), or a jar
 * (bundle or plain) names its implementation class, which has a public no-argument constructor, in
 * {@code META-INF/services/io.thingport.api.protocol.ProtocolSupport}; the platform then creates and registers it.
 * Installed with {@code iot:protocol-add}, a package can be updated while devices are online: the new version is
 * started and checked ({@link #samples()}) beside the old one, then new messages go to its codecs.
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

    /** A device-side description (markdown) for {@code iot:protocol-doc}; by default the {@link #description()}. */
    default String documentation() {
        return description();
    }

    /** The binary data-point layout this protocol carries thing-model properties in, if it has one. */
    default Optional<ThingModelCodec> thingModelCodec() {
        return Optional.empty();
    }

    /** Uplinks the platform decodes to check the package before it goes live (see {@link ProtocolSample}). */
    default List<ProtocolSample> samples() {
        return List.of();
    }
}
