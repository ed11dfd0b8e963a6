package io.thingport.network.netty;

import io.thingport.api.protocol.Transport;
import java.util.Objects;

/**
 * What a {@link FrameConnectionHandler} needs from its component's configuration.
 *
 * @param componentId        the network component's id (for logs and close reasons)
 * @param transport          the transport reported in login requests and by the connection
 * @param maxMessageLength   the frame limit in bytes, for the close reason of a too-long frame
 * @param maxInflight        uplinks per connection whose stage has not completed before reading stops (at least 1)
 * @param authTimeoutSeconds seconds a new connection has to be logged in (login frame sent and accepted)
 * @param idleTimeoutSeconds seconds without any bytes read before the connection is closed (0 = never)
 */
public record FrameConnectionSettings(String componentId, Transport transport, int maxMessageLength, int maxInflight,
                                      int authTimeoutSeconds, int idleTimeoutSeconds) {
    public FrameConnectionSettings {
        Objects.requireNonNull(componentId, "componentId");
        Objects.requireNonNull(transport, "transport");
        if (maxInflight < 1 || authTimeoutSeconds < 1 || idleTimeoutSeconds < 0 || maxMessageLength < 1) {
            throw new IllegalArgumentException("maxInflight and authTimeoutSeconds must be at least 1, idleTimeoutSeconds at least 0");
        }
    }
}
