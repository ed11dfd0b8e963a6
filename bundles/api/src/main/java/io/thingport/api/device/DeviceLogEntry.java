package io.thingport.api.device;

import java.time.Instant;

/**
 * One entry of a device's log.
 *
 * @param messageType the message's type when there is one (e.g. {@code properties/report}), else {@code ""}
 * @param topic       the topic or path it travelled on, else {@code ""}
 * @param raw         the payload as sent on the wire (UTF-8 text; binary shown as {@code base64:...}), else {@code ""}
 * @param decoded     the decoded message as JSON, else {@code ""}
 * @param detail      a human-readable note: the error, the reason, the remote address
 */
public record DeviceLogEntry(long id, Instant timestamp, String deviceId, String productId, LogType type,
                             String messageType, String messageId, String topic, String raw, String decoded, String detail) {
}
