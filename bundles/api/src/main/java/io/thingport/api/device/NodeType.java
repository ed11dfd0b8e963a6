package io.thingport.api.device;

import io.thingport.api.ThingportException;

/**
 * What a product's devices are in the device topology (UCloud 节点类型): ordinary devices, which connect on their own or
 * as a sub-device of a gateway, or gateways, which connect on their own and speak for their sub-devices
 * ({@link TopologyService}). Only a gateway product's devices may have sub-devices, and they are never sub-devices.
 */
public enum NodeType {
    DEVICE("device"), GATEWAY("gateway");

    private final String wireName;

    NodeType(String wireName) {
        this.wireName = wireName;
    }

    /** {@code device} or {@code gateway}. */
    public String wireName() {
        return wireName;
    }

    /** Parses {@code device} / {@code gateway} (any case); {@code null} or blank gives {@link #DEVICE}. */
    public static NodeType parse(String text) {
        if (text == null || text.isBlank()) {
            return DEVICE;
        }
        for (NodeType t : values()) {
            if (t.wireName.equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw ThingportException.invalidArgument("node type must be device or gateway, not '" + text + "'");
    }
}
