package io.thingport.rest.internal.commands;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A command sent through the API and where it is: {@code sent} (waiting for the reply), {@code replied} (the device
 * answered with success), {@code failed} (the device answered with an error, or the platform could not deliver it:
 * {@code code} says which, e.g. {@code device_offline}, {@code timeout}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandState(String commandId, String deviceId, String productId, String type, String state, String code,
        String message, Map<String, Object> properties, Object output, Instant sentAt, Instant completedAt) {
    public static final String SENT = "sent";
    public static final String REPLIED = "replied";
    public static final String FAILED = "failed";
}
