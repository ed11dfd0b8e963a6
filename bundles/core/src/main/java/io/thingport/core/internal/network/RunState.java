package io.thingport.core.internal.network;

/**
 * How a network component or a device access gateway is doing, with the name shown to users ({@code iot:network-list},
 * {@code iot:gateway-list}, {@link io.thingport.api.network.NetworkComponentInfo#state()}).
 */
enum RunState {
    /** Serving: a component is bound to its address, a gateway serves its component's connections. */
    RUNNING("running"),
    /** Switched off by its configuration ({@code enabled = false}). */
    DISABLED("disabled"),
    /** A component configured for another node of the cluster ({@code scope = node}). */
    OTHER_NODE("other-node"),
    /** Waiting for something that is not there yet: its type, its component, its protocol, or a restart. */
    WAITING("waiting"),
    /** Its configuration was refused; the detail says why. */
    FAILED("failed");

    private final String wireName;

    RunState(String wireName) {
        this.wireName = wireName;
    }

    /** The name users and scripts see. */
    String wireName() {
        return wireName;
    }
}
