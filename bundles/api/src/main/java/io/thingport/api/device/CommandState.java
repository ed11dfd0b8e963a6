package io.thingport.api.device;

import io.thingport.api.ThingportException;
import java.util.Locale;

/**
 * Where a queued command is: waiting ({@link #QUEUED}), written to the device and waiting for its reply
 * ({@link #SENT}), or finished: the device replied with success ({@link #REPLIED}), it was not delivered within its
 * time to live ({@link #EXPIRED}), the device replied with an error or did not reply in time or the platform could not
 * write it ({@link #FAILED}), or an operator cancelled it while it waited ({@link #CANCELLED}).
 */
public enum CommandState {
    QUEUED, SENT, REPLIED, EXPIRED, FAILED, CANCELLED;

    /** {@code queued}, {@code sent}, {@code replied}, {@code expired}, {@code failed} or {@code cancelled}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the command is finished: nothing will change its state any more. */
    public boolean isFinal() {
        return this != QUEUED && this != SENT;
    }

    /** The event id of this transition on the event topic ({@code /device/{productId}/{deviceId}/event/$command-queued}). */
    public String eventId() {
        return "$command-" + wireName();
    }

    /** Parses a wire name (any case). */
    public static CommandState parse(String text) {
        for (CommandState s : values()) {
            if (s.wireName().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return s;
            }
        }
        throw ThingportException.invalidArgument("command state must be one of queued, sent, replied, expired, failed, cancelled,"
                + " not '" + text + "'");
    }
}
