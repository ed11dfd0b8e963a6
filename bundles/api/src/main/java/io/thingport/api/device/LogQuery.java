package io.thingport.api.device;

import java.time.Instant;
import java.util.Set;

/**
 * Which device-log entries to return: every criterion may be {@code null} or empty (no restriction).
 *
 * @param deviceId     only this device
 * @param productId    only devices of this product
 * @param types        only these entry types
 * @param messageTypes only these message types, as the log records them: a message type's topic suffix
 *                     ({@code properties/report}, {@code event}, {@code function/invoke/reply}, ...; see
 *                     {@link io.thingport.api.message.MessageType#topicSuffix()})
 * @param from         not before this time
 * @param to           before this time
 * @param afterId      only entries with a larger id, oldest first: how a client catches up from the last entry it saw
 * @param beforeId     only entries with a smaller id, newest first: the cursor of the next page back
 * @param limit        at most this many entries (1 to {@link #MAX_LIMIT})
 */
public record LogQuery(String deviceId, String productId, Set<LogType> types, Set<String> messageTypes, Instant from,
        Instant to, Long afterId, Long beforeId, int limit) {
    public static final int MAX_LIMIT = 1000;

    public LogQuery {
        types = types == null ? Set.of() : Set.copyOf(types);
        messageTypes = messageTypes == null ? Set.of() : Set.copyOf(messageTypes);
    }

    /** Whether an entry meets every criterion but the id bounds and the limit (for entries followed live). */
    public boolean matches(DeviceLogEntry e) {
        return (deviceId == null || deviceId.equals(e.deviceId()))
                && (productId == null || productId.equals(e.productId()))
                && (types.isEmpty() || types.contains(e.type()))
                && (messageTypes.isEmpty() || messageTypes.contains(e.messageType()))
                && (from == null || !e.timestamp().isBefore(from))
                && (to == null || e.timestamp().isBefore(to));
    }
}
