package io.thingport.api.protocol;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The credentials a connection presented: MQTT CONNECT's client id, user name and password, or the same values from
 * HTTP headers, CoAP options or a first frame.
 */
public record AuthRequest(Transport transport, String clientId, String username, byte[] password, InetSocketAddress remoteAddress) {
    public AuthRequest {
        Objects.requireNonNull(transport, "transport");
        clientId = clientId == null ? "" : clientId;
        username = username == null ? "" : username;
        password = password == null ? new byte[0] : password.clone();
    }

    @Override
    public byte[] password() {
        return password.clone();
    }
}
