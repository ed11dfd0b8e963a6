package io.thingport.core.internal.rules.sql;

import java.util.LinkedHashMap;
import java.util.Map;

/** Messages as the rule engine builds them, for the tests. */
final class Messages {
    private Messages() {
    }

    /** A property report from thermo device t-1 with the given properties. */
    static Map<String, Object> report(Map<String, Object> properties) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", "t-1");
        m.put("productId", "thermo");
        m.put("messageId", "m1");
        m.put("timestamp", 1_601_196_762_389L);
        m.put("topic", "/thermo/t-1/properties/report");
        m.put("type", "properties/report");
        m.put("payload", Map.of("properties", properties));
        return m;
    }

    /** An event from thermo device t-1. */
    static Map<String, Object> event(String eventId, Map<String, Object> data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", "t-1");
        m.put("productId", "thermo");
        m.put("messageId", "e1");
        m.put("timestamp", 1_601_196_762_389L);
        m.put("topic", "/thermo/t-1/event/" + eventId);
        m.put("type", "event");
        m.put("payload", Map.of("eventId", eventId, "data", data));
        return m;
    }
}
