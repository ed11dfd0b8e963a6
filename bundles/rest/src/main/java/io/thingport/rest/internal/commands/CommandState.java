package io.thingport.rest.internal.commands;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.thingport.api.device.QueuedCommand;
import java.time.Instant;
import java.util.Map;

/**
 * A command sent through the API and where it is: {@code queued} (a sleepy device's command waiting for the device's
 * next contact, until {@code expiresAt}), {@code sent} (waiting for the reply), {@code replied} (the device answered with
 * success), {@code failed} (the device answered with an error, or the platform could not deliver it: {@code code} says
 * which, e.g. {@code device_offline}, {@code timeout}), {@code expired} (queued past its time to live) or
 * {@code cancelled} (a queued command an operator cancelled). A queued command's state is read from storage: it
 * survives a restart.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandState(String commandId, String deviceId, String productId, String type, String state, String code,
        String message, Map<String, Object> properties, Object output, Instant sentAt, Instant completedAt, Instant queuedAt,
        Instant expiresAt) {
    public static final String QUEUED = "queued";
    public static final String SENT = "sent";
    public static final String REPLIED = "replied";
    public static final String FAILED = "failed";

    /** A command as it was when the platform took it (not queued). */
    public CommandState(String commandId, String deviceId, String productId, String type, String state, String code,
            String message, Map<String, Object> properties, Object output, Instant sentAt, Instant completedAt) {
        this(commandId, deviceId, productId, type, state, code, message, properties, output, sentAt, completedAt, null, null);
    }

    /** A queued command's state as stored ({@code type} as the API names it: invoke, read or write). */
    @SuppressWarnings("unchecked")
    public static CommandState of(QueuedCommand q) {
        var s = q.state();
        boolean done = s.isFinal();
        Map<String, Object> properties = q.result() instanceof Map<?, ?> m && !"function/invoke".equals(q.type())
                ? (Map<String, Object>) m : null;
        Object output = "function/invoke".equals(q.type()) ? q.result() : null;
        String type = switch (q.type()) {
            case "function/invoke" -> "invoke";
            case "properties/read" -> "read";
            default -> "write";
        };
        return new CommandState(q.commandId(), q.deviceId(), q.productId(), type, s.wireName(), q.code(), q.message(), properties,
                output, SENT.equals(s.wireName()) ? q.updatedAt() : null, done ? q.updatedAt() : null,
                q.queuedAt(), q.expiresAt());
    }
}
