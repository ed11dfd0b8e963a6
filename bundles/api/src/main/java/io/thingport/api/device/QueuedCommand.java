package io.thingport.api.device;

import io.thingport.api.message.DeviceCommand;
import java.time.Instant;

/**
 * A command in a device's queue (see {@link CommandQueue}) and where it is.
 *
 * @param commandId the command's message id
 * @param type      {@code function/invoke}, {@code properties/read} or {@code properties/write}
 * @param command   the command as it will be (or was) written to the device
 * @param code      why it failed or expired ({@code timeout}, {@code device_error}, ...), or the code of the device's
 *                  reply; {@code null} while it waits
 * @param message   a sentence for people about its last transition, or {@code null}
 * @param result    what the device replied: the properties of a read or write, the output of a function; or {@code null}
 * @param expiresAt when it expires unless it was delivered before
 * @param updatedAt when its state last changed
 */
public record QueuedCommand(String commandId, String deviceId, String productId, String type, DeviceCommand command,
                            CommandState state, String code, String message, Object result, Instant queuedAt,
                            Instant expiresAt, Instant updatedAt) {
}
