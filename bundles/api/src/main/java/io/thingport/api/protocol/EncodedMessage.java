package io.thingport.api.protocol;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Bytes as a transport carries them: for MQTT a topic and a payload, for HTTP/CoAP a path and a body, for TCP/UDP an
 * empty topic and one frame.
 *
 * @param topic   the MQTT topic or request path ({@code ""} for stream transports)
 * @param payload the raw bytes (never modified by the platform)
 * @param headers transport details (e.g. {@code qos}, {@code retain}, HTTP headers)
 */
public record EncodedMessage(String topic, byte[] payload, Map<String, String> headers) {
    /**
     * The header in which the platform gives a network component the message id of a downlink it sends
     * ({@link io.thingport.api.network.TransportConnection#send}): a component that learns the outcome of a command
     * itself (a cloud platform's delivery report) answers it with that id
     * ({@link io.thingport.api.network.TransportListener#commandOutcome}).
     */
    public static final String MESSAGE_ID = "thingport-message-id";
    /**
     * The header in which the platform gives a network component the type of a downlink it sends: its
     * {@link io.thingport.api.message.MessageType#topicSuffix()} ({@code properties/write}, {@code function/invoke},
     * {@code error}, ...), for a component that treats commands apart from the rest (a cloud bridge sends only commands
     * to the cloud's API).
     */
    public static final String MESSAGE_TYPE = "thingport-message-type";

    public EncodedMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static EncodedMessage of(String topic, String utf8Payload) {
        return new EncodedMessage(topic, utf8Payload.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The same message with one more header (or another value for it). */
    public EncodedMessage withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new EncodedMessage(topic, payload, more);
    }

    /** The payload as UTF-8 text (malformed sequences replaced), for logs. */
    public String payloadAsText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
