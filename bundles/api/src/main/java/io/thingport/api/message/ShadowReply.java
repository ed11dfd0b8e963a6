package io.thingport.api.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platform's answer to a {@link ShadowRequest}, or a delta it pushes to the device.
 *
 * @param body the document to send (AWS form: {@link io.thingport.api.shadow.ShadowDocument#body},
 *             {@link io.thingport.api.shadow.ShadowDocument#deltaBody}, or {@code {"code","message","clientToken"}} for a
 *             rejection); never null
 */
public record ShadowReply(MessageHeader header, Kind kind, Map<String, Object> body) implements DeviceMessage {
    /** Which answer it is; {@link #topicSuffix()} is its topic after {@code /{productId}/{deviceId}/}. */
    public enum Kind {
        GET_ACCEPTED("shadow/get/accepted"), GET_REJECTED("shadow/get/rejected"), UPDATE_ACCEPTED("shadow/update/accepted"),
        UPDATE_REJECTED("shadow/update/rejected"), DELTA("shadow/update/delta");

        private final String topicSuffix;

        Kind(String topicSuffix) {
            this.topicSuffix = topicSuffix;
        }

        public String topicSuffix() {
            return topicSuffix;
        }
    }

    public ShadowReply {
        body = body == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(body));
    }

    @Override
    public MessageType type() {
        return MessageType.SHADOW_REPLY;
    }

    @Override
    public ShadowReply withHeader(MessageHeader header) {
        return new ShadowReply(header, kind, body);
    }
}
