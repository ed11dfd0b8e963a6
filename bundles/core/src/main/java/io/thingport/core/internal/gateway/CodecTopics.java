package io.thingport.core.internal.gateway;

import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;

/**
 * The topic a message travels on, for the device log and error replies: the transport's topic, or, on transports
 * without topics (TCP, UDP, WebSocket), the one the codec finds inside the frame ({@link DeviceCodec#topicOf}).
 */
public final class CodecTopics {
    private CodecTopics() {
    }

    /** The topic of an uplink or of an encoded downlink; {@code ""} when there is none or the codec fails. */
    public static String of(DeviceCodec codec, EncodedMessage message) {
        if (!message.topic().isEmpty()) {
            return message.topic();
        }
        try {
            String topic = codec.topicOf(message);
            return topic == null ? "" : topic;
        } catch (RuntimeException | LinkageError e) {
            return "";
        }
    }
}
