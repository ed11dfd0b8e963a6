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
 * @param truncated   {@code true} when {@code raw} or {@code decoded} holds only the start of the value: the device log
 *                    keeps a bounded number of bytes of each (a cut JSON document no longer parses); since 1.2
 */
public record DeviceLogEntry(long id, Instant timestamp, String deviceId, String productId, LogType type,
                             String messageType, String messageId, String topic, String raw, String decoded, String detail,
                             boolean truncated) {

    /** An entry whose payloads are whole. */
    public DeviceLogEntry(long id, Instant timestamp, String deviceId, String productId, LogType type, String messageType,
                          String messageId, String topic, String raw, String decoded, String detail) {
        this(id, timestamp, deviceId, productId, type, messageType, messageId, topic, raw, decoded, detail, false);
    }
}
