package io.thingport.api.protocol;

import io.thingport.api.message.DeviceMessage;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns one transport's bytes into device messages and back, for one protocol.
 *
 * <p>Threading: called on a network event loop (Netty). Implementations must be thread-safe, must not block and
 * should return quickly; they keep no per-connection state outside what {@link CodecSession} gives them.
 */
@ConsumerType
public interface DeviceCodec {

    /**
     * Decodes one uplink.
     *
     * @return the messages it carries (usually one; never null)
     * @throws CodecException {@code MALFORMED} for unparsable payloads, {@code FORBIDDEN} for a topic outside the
     *                        session's device, {@code UNSUPPORTED_TOPIC} for a topic the protocol does not know
     */
    List<DeviceMessage> decode(EncodedMessage message, CodecSession session);

    /**
     * Encodes one downlink.
     *
     * @throws CodecException {@code UNSUPPORTED} when this protocol cannot express the message
     */
    EncodedMessage encode(DeviceMessage message, CodecSession session);

    /** Whether the session may subscribe to {@code topicFilter} (MQTT-like transports; others never ask). */
    boolean maySubscribe(String topicFilter, CodecSession session);

    /**
     * The answer to a login frame on a transport without a login handshake (TCP, UDP, WebSocket), sent before any
     * other downlink; after a refusal the connection is closed once it is written. Transports with a handshake
     * (MQTT CONNACK, HTTP and CoAP status codes) never ask. A refusal tells the device no more than
     * {@link AuthFailure#deviceCode()} and {@link AuthFailure#deviceMessage()} (or less): the result's
     * {@link AuthResult#detail() detail} is for the operator, and an unauthenticated peer must not learn from it
     * whether a device exists.
     *
     * @return the reply, or empty when the protocol does not answer logins
     */
    default Optional<EncodedMessage> loginReply(AuthResult result) {
        return Optional.empty();
    }

    /**
     * The topic a message travels on, for the device log and the platform's error replies: an uplink, or a downlink
     * this codec encoded. Transports without topics (TCP, UDP, WebSocket) carry whole frames; a protocol that puts a
     * topic inside its frames says where.
     *
     * @return the topic, or {@code ""} when the message has none
     */
    default String topicOf(EncodedMessage message) {
        return message.topic();
    }
}
