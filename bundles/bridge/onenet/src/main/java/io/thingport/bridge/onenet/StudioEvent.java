package io.thingport.bridge.onenet;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * OneNET Studio {@code messageType "notify"}, {@code notifyType "event"}: one event of {@code data.params} (a push with
 * several events gives one message per event).
 *
 * @param source the push and device
 * @param messageId {@code data.id}, if present
 * @param eventId the event's identifier (its key in {@code params})
 * @param eventType {@code eventType}, if present (e.g. info, warn, error)
 * @param time {@code time}, milliseconds since the epoch, if present
 * @param value {@code value}: usually an object of output parameters (unmodifiable), any JSON value is kept
 */
public record StudioEvent(StudioSource source, Optional<String> messageId, String eventId, Optional<String> eventType, OptionalLong time,
        Object value) implements OneNetMessage {
    public StudioEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(time, "time");
        value = JsonValues.immutable(value);
    }

    @Override
    public String dedupKey() {
        return DedupKeys.of(DedupParts.join(source.keyParts(), "event", messageId.orElse(null), eventId, eventType.orElse(null),
                time.isPresent() ? time.getAsLong() : null, JsonValues.canonical(value)));
    }
}
