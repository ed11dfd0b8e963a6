package io.thingport.api.simulation;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Load simulations: N virtual devices of one product reporting at a total rate for a fixed duration, with the
 * benchmark's engine (its MQTT device client, pacing and latency histogram). A simulation always ends: after its
 * duration, when cancelled, or when the bundle that runs it stops. Throw-away devices it created are deleted at the
 * end.
 *
 * <p>Failures are {@link io.thingport.api.ThingportException}s: {@code INVALID_ARGUMENT} for a request beyond the
 * configured bounds (devices, rate, duration; the message names the bound), {@code NOT_FOUND} for an unknown product
 * or simulation, {@code CONFLICT} when the product has fewer devices than asked for (without creating any),
 * {@code UNAVAILABLE} while another simulation runs, {@code UNSUPPORTED} when no MQTT server serves the official
 * protocol.
 */
@ProviderType
public interface SimulationService {
    /** Starts a simulation; returns at once, its progress is {@link #get}. */
    SimulationStatus start(SimulationRequest request);

    SimulationStatus get(String simulationId);

    /** Running and recently finished simulations, newest first. */
    List<SimulationStatus> list();

    /** Ends a running simulation early (its summary covers what ran); a finished one is returned as it is. */
    SimulationStatus cancel(String simulationId);
}
