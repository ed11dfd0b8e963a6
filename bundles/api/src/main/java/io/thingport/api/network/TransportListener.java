package io.thingport.api.network;

import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform side of a network component: a component reports every connection event here. The platform gives
 * each component its listener (a device access gateway: the component plus a protocol).
 *
 * <p>Threading: every method is called on the component's event loop and returns without blocking; slow work is
 * represented by the returned stages, which may complete on any thread.
 */
@ProviderType
public interface TransportListener {

    /** A connection presented credentials. The connection must not deliver messages before the stage completes. */
    CompletionStage<AuthResult> authenticate(AuthRequest request);

    /** The connection authenticated by {@code result} is ready; messages may flow. */
    void connected(TransportConnection connection, AuthResult result);

    /**
     * One uplink from an authenticated connection. The stage completes normally once the platform has dealt with
     * the message durably (stored, or rejected with an error sent to the device): a component acknowledges it to the
     * device (MQTT PUBACK) only then. It completes exceptionally with a {@link io.thingport.api.ThingportException}
     * of code {@code FORBIDDEN} when the connection broke the access rules (the component then refuses the message as
     * its transport does), or with any other exception when the platform could not store it (the component must not
     * acknowledge, so the device sends it again).
     *
     * <p>A component bounds the uplinks it has in flight per connection and stops reading from a connection that
     * reaches the bound: this is how storage back-pressure reaches devices. The platform bounds the uplinks of all
     * connections together as well: when that bound is reached the stage fails at once with code
     * {@code UNAVAILABLE}, and nothing of the message was stored or logged. A connection-oriented component then stops
     * reading from that connection and offers the same message again after a short pause (in order, never
     * acknowledging it before); a request/response component answers "service unavailable" with a retry hint (HTTP
     * 503 with {@code Retry-After}, CoAP 5.03 with {@code Max-Age}); a datagram component drops it unanswered.
     */
    CompletionStage<Void> received(TransportConnection connection, EncodedMessage message);

    /** Whether the connection may subscribe to a topic filter. */
    boolean maySubscribe(TransportConnection connection, String topicFilter);

    /** The connection closed (either side); {@code reason} is for the device log. Called once per connected connection. */
    void disconnected(TransportConnection connection, String reason);

    /**
     * A component that hands downlinks to another system (a cloud platform's API) reports what became of a command it
     * sent: {@code messageId} is the {@link io.thingport.api.protocol.EncodedMessage#MESSAGE_ID} header of the sent
     * message. {@code success} completes the command as replied with success (for a read, which has no values this way,
     * it changes nothing); a failure fails it with {@code code} and {@code detail}. An unknown or finished command is
     * ignored. Never blocks.
     */
    default void commandOutcome(TransportConnection connection, String messageId, boolean success, String code, String detail) {
    }
}
