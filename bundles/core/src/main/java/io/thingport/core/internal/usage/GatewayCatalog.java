package io.thingport.core.internal.usage;

/**
 * Whether a device access gateway of a name is configured, so that a product binds only to a gateway that exists.
 *
 * <p>Published as an OSGi service by the network manager, which holds the gateways; the product registry takes it
 * through a dynamic, optional reference (without it, no gateway exists). Answers from memory.
 */
public interface GatewayCatalog {
    boolean exists(String gateway);
}
