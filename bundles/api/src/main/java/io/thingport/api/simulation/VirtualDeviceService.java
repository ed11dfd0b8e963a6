package io.thingport.api.simulation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Virtual devices: an existing device of the registry, simulated by the platform. A virtual device logs in to the
 * platform's own MQTT server (the component of an official-protocol gateway) with a login the core signs for it,
 * reports values generated within its thing model's ranges (or the fixed ones it was given) at its interval, and answers
 * the platform's commands as the thing model says: a read with its current values, a write by applying and echoing
 * them, an invocation with an output valid for the function's output type. It runs until stopped, or until the
 * bundle that runs it stops; a lost connection is retried.
 *
 * <p>Failures are {@link io.thingport.api.ThingportException}s whose message names the problem: {@code NOT_FOUND} for
 * an unknown device or one that is not virtual, {@code CONFLICT} when it is virtual already,
 * {@code UNAVAILABLE} at the configured most virtual devices, {@code INVALID_ARGUMENT}/{@code INVALID_VALUE} for bad
 * options or values (checked against the thing model), {@code UNSUPPORTED} when no MQTT server serves the official
 * protocol.
 */
@ProviderType
public interface VirtualDeviceService {
    /** Starts simulating the device; returns once it is started (its connection is made in the background). */
    VirtualDeviceInfo start(String deviceId, VirtualDeviceOptions options);

    /** Stops simulating the device: it disconnects (the platform sees it go offline). */
    void stop(String deviceId);

    /** The running virtual devices, by device id. */
    List<VirtualDeviceInfo> list();

    Optional<VirtualDeviceInfo> find(String deviceId);

    /**
     * Sets property values (checked against the thing model) and reports them at once; they stay fixed in later reports.
     */
    VirtualDeviceInfo set(String deviceId, Map<String, Object> values);

    /**
     * Raises an event.
     *
     * @param data the event's data, checked against its output type; {@code null}: generated from that type
     */
    VirtualDeviceInfo raiseEvent(String deviceId, String eventId, Object data);
}
