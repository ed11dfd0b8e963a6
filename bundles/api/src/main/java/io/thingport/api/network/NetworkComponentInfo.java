package io.thingport.api.network;

import java.util.Map;

/**
 * A configured network component and how it is doing.
 *
 * @param state   {@code running}, {@code waiting} (its type or protocol is not installed yet) or {@code failed}
 * @param detail  the bound address when running, what it waits for, or the error
 */
public record NetworkComponentInfo(String id, String type, String protocol, String state, String detail,
                                   int connections, Map<String, String> properties) {
}
