package io.thingport.core.internal.rules;

import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceOffline;
import io.thingport.api.message.DeviceOnline;
import io.thingport.api.message.ErrorMessage;
import io.thingport.api.message.InvokeFunctionReply;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WritePropertiesReply;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a rule statement sees of a message: {@code deviceId}, {@code productId}, {@code messageId}, {@code timestamp},
 * {@code topic} (in the official topic space, {@code /{product}/{device}/properties/report}), {@code type} (the topic's
 * suffix, {@code properties/report}), {@code payload} (per kind: {@code properties}; {@code eventId} and {@code data};
 * {@code success}, {@code code}, {@code message} and {@code properties} or {@code output}; ...) and {@code headers}.
 */
public final class MessageFields {
    static final String BUS_PREFIX = "/device";

    private MessageFields() {
    }

    /** The fields of a message published on the event topic {@code busTopic} ({@code /device/{p}/{d}/...}). */
    public static Map<String, Object> of(String busTopic, DeviceMessage m) {
        String topic = busTopic.startsWith(BUS_PREFIX + "/") ? busTopic.substring(BUS_PREFIX.length()) : busTopic;
        String prefix = "/" + m.productId() + "/" + m.deviceId() + "/";
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("deviceId", m.deviceId());
        fields.put("productId", m.productId());
        fields.put("messageId", m.messageId());
        fields.put("timestamp", m.timestamp());
        fields.put("topic", topic);
        fields.put("type", topic.startsWith(prefix) ? topic.substring(prefix.length()) : m.type().topicSuffix());
        fields.put("payload", payload(m));
        fields.put("headers", m.header().headers());
        return fields;
    }

    static Map<String, Object> payload(DeviceMessage m) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (m instanceof ReportProperties r) {
            p.put("properties", r.properties());
        } else if (m instanceof DeviceEvent e) {
            p.put("eventId", e.eventId());
            p.put("data", e.data());
        } else if (m instanceof DeviceOnline o) {
            p.put("node", o.node());
        } else if (m instanceof DeviceOffline o) {
            p.put("reason", o.reason());
        } else if (m instanceof ReadPropertiesReply r) {
            reply(p, r.success(), r.code(), r.message()).put("properties", r.properties());
        } else if (m instanceof WritePropertiesReply r) {
            reply(p, r.success(), r.code(), r.message()).put("properties", r.properties());
        } else if (m instanceof InvokeFunctionReply r) {
            reply(p, r.success(), r.code(), r.message()).put("output", r.output());
        } else if (m instanceof ErrorMessage e) {
            p.put("code", e.code().wireName());
            p.put("message", e.message());
            p.put("topic", e.topic());
        }
        return p;
    }

    private static Map<String, Object> reply(Map<String, Object> p, boolean success, String code, String message) {
        p.put("success", success);
        p.put("code", code);
        p.put("message", message);
        return p;
    }
}
