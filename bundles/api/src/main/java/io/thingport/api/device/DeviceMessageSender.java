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
    /**
     * Sends a command, or queues it: a device of a sleepy product ({@link DownlinkMode#isSleepy()}) that is not
     * connected, or that still has commands waiting, gets it through its {@link CommandQueue} (the ticket says
     * {@link CommandState#QUEUED}; {@code timeout} then bounds the wait for the reply once it was delivered). A device
     * of an always-on product that is not connected fails it with {@code DEVICE_OFFLINE}, as {@link #send} does.
     * The ticket's stage completes as {@link #send}'s does; a command refused before anything happened (invalid, unknown
     * device, offline, queue full: {@code CONFLICT}) is a failed stage in a ticket of state {@link CommandState#FAILED}.
     * Blocks on storage for a sleepy product: not on a network thread.
     */
    CommandTicket submit(DeviceCommand command, Duration timeout);

    /** {@link #submit}'s reply. */
    default CompletionStage<DeviceReply> send(DeviceCommand command, Duration timeout) {
        return submit(command, timeout).reply();
    }

    /** A fresh message id for a platform-originated command. */
    String newMessageId();
}
