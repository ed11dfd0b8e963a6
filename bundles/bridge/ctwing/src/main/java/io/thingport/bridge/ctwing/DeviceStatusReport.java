package io.thingport.bridge.ctwing;

import java.util.Objects;
import java.util.Optional;

/** A {@code deviceOnlineOfflineReport} push. {@code iccid} is empty when absent, empty or {@code "undefined"}. */
public record DeviceStatusReport(
        String deviceId,
        String productId,
        String tenantId,
        long timestamp,
        String protocol,
        DeviceStatus status,
        Optional<String> iccid) implements CtwingMessage {

    public static final String MESSAGE_TYPE = "deviceOnlineOfflineReport";

    public DeviceStatusReport {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(iccid, "iccid");
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
                .add("eventType", status.wire())
                .hex();
    }
}
