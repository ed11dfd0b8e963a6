package io.thingport.bridge.ctwing;

import java.util.Map;
import java.util.Objects;

/**
 * An {@code eventReport} push: a thing-model event of one device. {@code serviceId} is the wire value as text (CTWing
 * sends a number, e.g. {@code 1002}); {@code eventContent} is the event's JSON object (empty when absent).
 */
public record EventReport(
        String deviceId,
        String productId,
        String tenantId,
        long timestamp,
        String protocol,
        String serviceId,
        EventLevel level,
        Map<String, Object> eventContent) implements CtwingMessage {

    public static final String MESSAGE_TYPE = "eventReport";

    public EventReport {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(level, "level");
        eventContent = JsonValues.immutableCopy(Objects.requireNonNull(eventContent, "eventContent"));
    }

    @Override
    public String messageType() {
        return MESSAGE_TYPE;
    }

    @Override
    public String dedupKey() {
        return DedupKey.of(MESSAGE_TYPE)
                .add("productId", productId)
                .add("deviceId", deviceId)
                .add("timestamp", timestamp)
                .add("serviceId", serviceId)
                .add("eventType", level.wire())
                .add("eventContent", JsonValues.canonicalBytes(eventContent))
                .hex();
    }
}
