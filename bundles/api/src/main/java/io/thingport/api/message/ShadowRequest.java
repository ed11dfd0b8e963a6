package io.thingport.api.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device asks for its shadow ({@link Operation#GET}) or updates it ({@link Operation#UPDATE}); the platform answers
 * with {@link ShadowReply}s.
 *
 * @param body the request document as parsed JSON (objects as maps, JSON null as a {@code null} value), read by
 *             {@link io.thingport.api.shadow.ShadowUpdate#parse} for an update; never null
 */
public record ShadowRequest(MessageHeader header, Operation operation, Map<String, Object> body) implements DeviceMessage {
    /** What the device asks for. */
    public enum Operation {
        GET("shadow/get"), UPDATE("shadow/update");

        private final String topicSuffix;

        Operation(String topicSuffix) {
            this.topicSuffix = topicSuffix;
        }

        /** {@code shadow/get} or {@code shadow/update}. */
        public String topicSuffix() {
            return topicSuffix;
        }
    }

    public ShadowRequest {
        body = body == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(body));
    }

    @Override
    public MessageType type() {
        return operation == Operation.GET ? MessageType.SHADOW_GET : MessageType.SHADOW_UPDATE;
    }

    /** The request's {@code clientToken} when it is a string, else {@code null}. */
    public String clientToken() {
        return body.get("clientToken") instanceof String s ? s : null;
    }

    @Override
    public ShadowRequest withHeader(MessageHeader header) {
        return new ShadowRequest(header, operation, body);
    }
}
