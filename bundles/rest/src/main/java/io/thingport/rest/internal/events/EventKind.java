package io.thingport.rest.internal.events;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.message.MessageType;
import java.util.Locale;

/**
 * The kinds of device events a live stream carries, named as clients select them ({@code ?type=property&type=online}),
 * each a reading of a device-log entry.
 */
public enum EventKind {
    /** A device reported property values. */
    PROPERTY,
    /** A device reported an event. */
    EVENT,
    /** A device connected. */
    ONLINE,
    /** A device disconnected. */
    OFFLINE,
    /** A device answered a command. */
    REPLY,
    /** The platform sent a command to a device. */
    COMMAND,
    /** The platform refused a device's message (malformed, invalid for the thing model, ...). */
    REJECTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of an entry, or {@code null} for an entry no stream carries (refused logins, registrations). */
    public static EventKind of(DeviceLogEntry e) {
        return switch (e.type()) {
            case ONLINE -> ONLINE;
            case OFFLINE -> OFFLINE;
            case REJECTED -> REJECTED;
            case DOWNLINK -> downlink(e.messageType());
            case UPLINK -> uplink(e.messageType());
            default -> null;
        };
    }

    /** Only a command is one: the platform's other downlinks answer a registration or report a rejected uplink. */
    private static EventKind downlink(String messageType) {
        return MessageType.READ_PROPERTIES.topicSuffix().equals(messageType)
                || MessageType.WRITE_PROPERTIES.topicSuffix().equals(messageType)
                || MessageType.INVOKE_FUNCTION.topicSuffix().equals(messageType) ? COMMAND : null;
    }

    private static EventKind uplink(String messageType) {
        if ("properties/report".equals(messageType)) {
            return PROPERTY;
        }
        if ("event".equals(messageType) || messageType != null && messageType.startsWith("event/")) {
            return EVENT;
        }
        if (messageType != null && messageType.endsWith("/reply")) {
            return REPLY;
        }
        return null;
    }

    /** The kind of this name (any case), or {@code null}. */
    public static EventKind fromName(String name) {
        for (EventKind k : values()) {
            if (k.wireName().equalsIgnoreCase(name.trim())) {
                return k;
            }
        }
        return null;
    }
}
