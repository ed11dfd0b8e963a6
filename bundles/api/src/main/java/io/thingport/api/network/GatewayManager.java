package io.thingport.api.network;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Device access gateways. Each is a factory configuration ({@code etc/io.thingport.gateway-<name>.cfg}). Rules (as
 * operators know them from JetLinks): only an {@code mqtt-server} component may be used by several gateways; the
 * type of a gateway cannot change; once a product references a gateway its protocol cannot change; a gateway
 * referenced by a product cannot be deleted. A product that references a gateway accepts its devices only through
 * that gateway.
 */
@ProviderType
public interface GatewayManager {
    /** Gateway types: {@code official} and {@code custom}. */
    List<String> types();

    List<GatewayInfo> gateways();

    Optional<GatewayInfo> gateway(String name);

    /**
     * @param protocol required for {@code custom}; for {@code official} {@code null} or {@code official}
     * @throws io.thingport.api.ThingportException {@code CONFLICT} when the name exists or the component is already
     *                                             used by a gateway and is not an MQTT server;
     *                                             {@code INVALID_ARGUMENT}/{@code NOT_FOUND} for bad values
     */
    GatewayInfo create(String name, String type, String network, String protocol, String description);

    /** Changes the component, protocol or description ({@code null} keeps the value). */
    GatewayInfo update(String name, String network, String protocol, String description);

    GatewayInfo setEnabled(String name, boolean enabled);

    /** @throws io.thingport.api.ThingportException {@code CONFLICT} while a product references the gateway */
    void delete(String name);
}
