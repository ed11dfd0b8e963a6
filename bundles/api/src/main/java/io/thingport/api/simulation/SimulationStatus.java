package io.thingport.api.simulation;

import java.time.Duration;
import java.time.Instant;

/**
 * How a simulation is doing, or how it went.
 *
 * @param state     {@code starting}, {@code running}, {@code draining}, {@code cleaning-up}, then {@code finished},
 *                  {@code cancelled} or {@code failed} ({@code detail} says why)
 * @param connected devices logged in now
 * @param sent      reports published
 * @param acked     reports acknowledged by the platform (PUBACK: stored)
 * @param errors    failed logins, lost connections and reports never acknowledged
 * @param rate      acknowledged reports per second since the devices started reporting
 * @param latency   publish-to-PUBACK latency of the acknowledged reports
 */
public record SimulationStatus(String id, String productId, String state, String detail, int devices, int connected,
                               double targetRate, Duration duration, Instant started, Duration elapsed, long sent,
                               long acked, long errors, double rate, LatencySummary latency, boolean createdDevices) {
    /** Whether the simulation has ended (finished, cancelled or failed). */
    public boolean done() {
        return "finished".equals(state) || "cancelled".equals(state) || "failed".equals(state);
    }
}
