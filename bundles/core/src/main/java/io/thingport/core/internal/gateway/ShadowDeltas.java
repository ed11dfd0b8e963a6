package io.thingport.core.internal.gateway;

import io.thingport.api.TopicFilters;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ShadowReply;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.Transport;
import java.util.Map;

/**
 * When a device is offered its shadow delta on a new connection: on MQTT once it subscribes to a filter that covers
 * the delta's topic (before that, a publish would be lost), on every other transport at once (HTTP and CoAP hand it
 * over with the answer to the device's next request, as any downlink).
 */
final class ShadowDeltas {
    private ShadowDeltas() {
    }

    static boolean offeredAtConnect(Transport transport) {
        return transport != Transport.MQTT;
    }

    /** Whether a subscription receives the delta, as the codec addresses it to the session's device. */
    static boolean covers(String topicFilter, DeviceCodec codec, CodecSession session) {
        try {
            String topic = codec.encode(new ShadowReply(MessageHeader.of("", session.productId(), session.deviceId(), 0),
                    ShadowReply.Kind.DELTA, Map.of()), session).topic();
            return !topic.isEmpty() && TopicFilters.matches(topicFilter, topic);
        } catch (RuntimeException | LinkageError e) {
            return false; // the protocol has no shadow
        }
    }
}
