package io.thingport.core.internal.rules;

import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.core.internal.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The messages a dry run evaluates: a sample an operator wrote, or an uplink from a device's log. */
final class SampleMessages {
    private SampleMessages() {
    }

    /**
     * A sample in the shape a statement sees ({@link MessageFields}); {@code topic} is required, and {@code productId},
     * {@code deviceId} and {@code type} are taken from it when missing, {@code timestamp} is now when missing.
     */
    static Map<String, Object> complete(Map<String, Object> sample, long now) {
        Map<String, Object> fields = new LinkedHashMap<>(sample);
        if (!(fields.get("topic") instanceof String topic) || !topic.startsWith("/") || topic.split("/", -1).length < 4) {
            throw ThingportException.invalidArgument("the sample message needs a topic such as /thermo/t-1/properties/report");
        }
        String[] levels = topic.split("/", 4);
        fields.putIfAbsent("productId", levels[1]);
        fields.putIfAbsent("deviceId", levels[2]);
        fields.putIfAbsent("type", levels[3]);
        fields.putIfAbsent("messageId", "");
        fields.putIfAbsent("timestamp", now);
        fields.putIfAbsent("payload", Map.of());
        fields.putIfAbsent("headers", Map.of());
        return fields;
    }

    /** An uplink of the device log as a statement sees it (its decoded message without the header), if it parses. */
    static Optional<Map<String, Object>> fromLog(DeviceLogEntry e) {
        Object decoded;
        try {
            decoded = Json.toJava(e.decoded());
        } catch (ThingportException notJson) {
            return Optional.empty();
        }
        if (!(decoded instanceof Map<?, ?> message)) {
            return Optional.empty();
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        message.forEach((k, v) -> {
            if (!"header".equals(k)) {
                payload.put(String.valueOf(k), v);
            }
        });
        String type = e.messageType();
        if ("event".equals(type) && payload.get("eventId") != null) {
            type = "event/" + payload.get("eventId");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("deviceId", e.deviceId());
        fields.put("productId", e.productId());
        fields.put("messageId", e.messageId());
        Object header = message.get("header");
        fields.put("timestamp", header instanceof Map<?, ?> h && h.get("timestamp") instanceof Number n ? n.longValue()
                : e.timestamp().toEpochMilli());
        fields.put("topic", "/" + e.productId() + "/" + e.deviceId() + "/" + type);
        fields.put("type", type);
        fields.put("payload", payload);
        fields.put("headers", header instanceof Map<?, ?> h && h.get("headers") instanceof Map<?, ?> hs ? hs : Map.of());
        return Optional.of(fields);
    }
}
