package io.thingport.api.network;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's network components. Each is a factory configuration ({@code etc/io.thingport.network-<name>.cfg});
 * the methods that change one write that configuration and return once the platform has applied it. A change that
 * the component refuses (bad value, port in use, missing certificate) is rolled back — the previous configuration
 * keeps running — and reported as a {@link io.thingport.api.ThingportException} naming the problem.
 */
@ProviderType
public interface NetworkManager {
    List<NetworkComponentInfo> components();

    Optional<NetworkComponentInfo> component(String name);

    /** Installed network component types and their transports, by type name. */
    Map<String, String> types();

    /**
     * Creates and starts a component.
     *
     * @param properties every key but {@code type} (see the README for the common and per-type keys)
     * @throws io.thingport.api.ThingportException {@code CONFLICT} when the name exists or the port is in use,
     *                                             {@code INVALID_ARGUMENT} for a bad name, type or value
     */
    NetworkComponentInfo create(String name, String type, Map<String, String> properties);

    /** Sets {@code set} and removes {@code unset}; the type cannot change. The component restarts with the result. */
    NetworkComponentInfo update(String name, Map<String, String> set, Set<String> unset);

    NetworkComponentInfo setEnabled(String name, boolean enabled);

    /** @throws io.thingport.api.ThingportException {@code CONFLICT} while a gateway uses the component */
    void delete(String name);
}
