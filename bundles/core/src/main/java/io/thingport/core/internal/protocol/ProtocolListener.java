package io.thingport.core.internal.protocol;

import io.thingport.api.protocol.ProtocolSupport;
import java.util.Map;

/**
 * Follows the live protocols: the one {@link ProtocolSupport} that serves each protocol id now.
 *
 * <p>Published as an OSGi service (the network manager is one: its gateways bind, swap codecs or wait). The protocol
 * registry calls it once with the current protocols when it binds the listener, then after every change, in order and
 * one call at a time. It must not call back into the protocol registry's management operations.
 */
public interface ProtocolListener {
    /** The live protocols by id changed (a package was installed, updated or removed, or a built-in came or went). */
    void protocolsChanged(Map<String, ProtocolSupport> live);
}
