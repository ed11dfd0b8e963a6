package io.thingport.bridge.ctwing;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code dataReport} push: one uplink of one device. {@code upPacketSn} and {@code upDataSn} are {@code -1} when the
 * platform did not number the packet (as it sends them, or when absent); {@code imei} and {@code imsi} are empty when
 * absent, empty or {@code "undefined"}; {@code topic} and {@code serviceId} are empty strings when absent.
 */
public record DataReport(
        String deviceId,
        String productId,
        String tenantId,
        long timestamp,
        String protocol,
        Optional<String> imei,
        Optional<String> imsi,
        long upPacketSn,
        long upDataSn,
        String topic,
        String serviceId,
        ReportPayload payload) implements CtwingMessage {

    public static final String MESSAGE_TYPE = "dataReport";

    public DataReport {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(imei, "imei");
        Objects.requireNonNull(imsi, "imsi");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public String messageType() {
        return MESSAGE_TYPE;
    }

    /**
     * Derived from product, device, timestamp, packet numbers, topic, service and payload bytes. A report inside a
     * {@code dataReportTupUnion} batch has the same key as the same report pushed alone.
     */
    @Override
    public String dedupKey() {
        DedupKey key = DedupKey.of(MESSAGE_TYPE)
                .add("productId", productId)
                .add("deviceId", deviceId)
                .add("timestamp", timestamp)
                .add("upPacketSN", upPacketSn)
                .add("upDataSN", upDataSn)
                .add("topic", topic)
                .add("serviceId", serviceId);
        if (payload instanceof ReportPayload.Transparent transparent) {
            key.add("payload.APPdata", transparent.bytes());
        } else if (payload instanceof ReportPayload.ThingModel model) {
            key.add("payload.json", JsonValues.canonicalBytes(model.values()));
        }
        return key.hex();
    }
}
