package io.thingport.rest.internal.ws;

import io.thingport.rest.internal.auth.Caller;
import java.security.Principal;
import java.time.Instant;

/**
 * Who opened a WebSocket connection, as its handshake was authenticated ({@link WsHandshake}), carried to the endpoint
 * as the upgraded request's user principal.
 *
 * @param caller       the authenticated caller
 * @param source       the peer's address
 * @param startedAt    when the handshake arrived
 * @param startedNanos {@link System#nanoTime()} then, for the connection's duration
 */
public record WsPrincipal(Caller caller, String source, Instant startedAt, long startedNanos) implements Principal {
    @Override
    public String getName() {
        return caller.name();
    }
}
