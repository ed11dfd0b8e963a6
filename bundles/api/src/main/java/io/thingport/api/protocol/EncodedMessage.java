package io.thingport.api.protocol;

import java.nio.charset.StandardCharsets;
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
    public EncodedMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static EncodedMessage of(String topic, String utf8Payload) {
        return new EncodedMessage(topic, utf8Payload.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The payload as UTF-8 text (malformed sequences replaced), for logs. */
    public String payloadAsText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
