package io.thingport.rest.internal.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.rest.internal.http.RestJson;
import java.time.Instant;

/**
 * A device event as streams send it: its id (the device-log entry's: resume from it with {@code Last-Event-ID}), its
 * kind, the device, and the decoded message ({@code data}: JSON when it is JSON, else text).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventView(long id, String kind, Instant timestamp, String deviceId, String productId, String messageType,
        String messageId, String topic, JsonNode data, String detail) {
    public static EventView of(DeviceLogEntry e) {
        EventKind kind = EventKind.of(e);
        return new EventView(e.id(), kind == null ? null : kind.wireName(), e.timestamp(), e.deviceId(), e.productId(),
                emptyToNull(e.messageType()), emptyToNull(e.messageId()), emptyToNull(e.topic()), data(e.decoded()),
                emptyToNull(e.detail()));
    }

    private static JsonNode data(String decoded) {
        if (decoded == null || decoded.isEmpty()) {
            return null;
        }
        try {
            return RestJson.MAPPER.readTree(decoded);
        } catch (Exception e) {
            return TextNode.valueOf(decoded); // a truncated or non-JSON payload is passed on as text
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
