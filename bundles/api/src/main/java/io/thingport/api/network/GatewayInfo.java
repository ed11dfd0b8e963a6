package io.thingport.api.network;

import java.util.List;

/**
 * A device access gateway: a network component bound to a protocol.
 *
 * @param type     {@code official} (the official protocol) or {@code custom} (any installed protocol package)
 * @param state    {@code running}, {@code disabled}, {@code waiting} (its component or protocol is not running or
 *                 installed) or {@code failed} (the protocol does not support the component's transport)
 * @param products the products that reference this gateway
 */
public record GatewayInfo(String id, String type, String network, String protocol, boolean enabled, String description,
                          String state, String detail, int connections, List<String> products) {
    public GatewayInfo {
        products = List.copyOf(products);
    }
}
