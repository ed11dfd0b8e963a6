package io.thingport.api.network;

import java.util.List;
import java.util.Map;

/**
 * A configured network component and how it is doing.
 *
 * @param state       {@code running}; {@code disabled}; {@code other-node} (configured for another node of the
 *                    cluster); {@code waiting} (its type is not installed yet, or it is restarting); {@code failed}
 *                    (its configuration was refused: see {@code detail})
 * @param detail      the bound address when running, what it waits for, or the error
 * @param properties  the configuration as written, in key order, with the values of the
 *                    {@link NetworkComponentConfig#SECRET_KEYS} masked (this record never holds a secret, whoever builds
 *                    it; never a private key either: certificates are referenced by name)
 * @param gateways    the device access gateways that use it
 */
public record NetworkComponentInfo(String id, String type, String state, String detail, int connections,
                                   Map<String, String> properties, List<String> gateways) {
    public NetworkComponentInfo {
        properties = NetworkComponentConfig.masked(properties);
        gateways = List.copyOf(gateways);
    }

    public boolean enabled() {
        return !"false".equalsIgnoreCase(properties.getOrDefault("enabled", "true").trim());
    }
}
