package io.thingport.api.device;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The persistent per-device queues of sleepy products ({@link DownlinkMode#isSleepy()}). {@link DeviceMessageSender#submit}
 * puts a command there when its device is not connected (or still has commands waiting, so that order is kept); the
 * platform delivers a device's waiting commands in the order they were queued as soon as the device sends anything
 * (its login or any uplink), and publishes each transition on the event topic as an event with the id
 * {@link CommandState#eventId()} (rules: {@code $events/command/queued}, {@code .../sent}, {@code .../replied},
 * {@code .../expired}, {@code .../failed}, {@code .../cancelled}). Entries survive a restart of the platform; finished
 * ones are kept within {@code commandQueue.maxAgeDays} of {@code io.thingport.storage}.
 */
@ProviderType
public interface CommandQueue {
    /** The most entries {@link #list} returns. */
    int MAX_LIST = 1000;

    /**
     * A device's newest queue entries, waiting and finished, oldest first.
     *
     * @param limit 1 to {@link #MAX_LIST}
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND} for an unknown device, {@code INVALID_ARGUMENT}
     *                                             for a limit out of range
     */
    List<QueuedCommand> list(String deviceId, int limit);

    /** The queued command with this id (the newest if a device reused it). */
    Optional<QueuedCommand> find(String commandId);

    /**
     * Cancels a command that is still waiting: it is not delivered, its state becomes {@link CommandState#CANCELLED}.
     *
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND}; {@code CONFLICT} when it is no longer waiting
     */
    QueuedCommand cancel(String commandId);
}
