package io.thingport.api.device;

import io.thingport.api.message.DeviceCommand;
import io.thingport.api.message.DeviceReply;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends commands to devices and waits for their replies.
 *
 * <p>A command is checked against the product's thing model before it is sent. The stage completes with the
 * device's reply (which may report {@code success=false}), or exceptionally with a
 * {@link io.thingport.api.ThingportException}: {@code INVALID_VALUE}/{@code UNKNOWN_IDENTIFIER} (not sent),
 * {@code NOT_FOUND}, {@code DEVICE_OFFLINE}, or {@code TIMEOUT} when no reply came within {@code timeout}.
 */
@ProviderType
public interface DeviceMessageSender {
    CompletionStage<DeviceReply> send(DeviceCommand command, Duration timeout);

    /** A fresh message id for a platform-originated command. */
    String newMessageId();
}
