package io.thingport.bridge.ctwing;

import java.util.Objects;

/**
 * A {@code commandResponse} push: the progress of a command. {@code taskId} is the wire {@code taskId}; the key includes
 * the result code, so SENT and later DELIVERED of the same task are two different messages.
 */
public record CommandResponse(
        String deviceId,
        String productId,
        String tenantId,
        long timestamp,
        String protocol,
        long taskId,
        CommandResultCode resultCode,
        String resultDetail) implements CtwingMessage {

    public static final String MESSAGE_TYPE = "commandResponse";

    public CommandResponse {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(resultCode, "resultCode");
        Objects.requireNonNull(resultDetail, "resultDetail");
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
                .add("taskId", taskId)
                .add("resultCode", resultCode.name())
                .add("resultDetail", resultDetail)
                .hex();
    }
}
