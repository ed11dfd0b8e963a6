package io.thingport.simulator.internal;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.simulation.SimulationRequest;
import io.thingport.api.simulation.VirtualDeviceOptions;
import java.time.Duration;

/**
 * The simulator's bounds and the refusals they make, each naming the bound and how to change it. Pure: the decisions
 * only, on the numbers given.
 */
record Limits(int maxVirtualDevices, int maxSimulationDevices, double maxSimulationRate, int maxSimulationSeconds) {
    static final int DEFAULT_MAX_VIRTUAL_DEVICES = 1_000;
    static final int DEFAULT_MAX_SIMULATION_DEVICES = 1_000;
    static final double DEFAULT_MAX_SIMULATION_RATE = 5_000;
    static final int DEFAULT_MAX_SIMULATION_SECONDS = 3_600;
    /** The longest interval between two reports of a virtual device. */
    static final Duration MAX_INTERVAL = Duration.ofDays(1);
    private static final String CONFIG = " (maxVirtualDevices in etc/io.thingport.simulator.cfg)";

    static Limits of(SimulatorConfig c) {
        return new Limits(c.maxVirtualDevices(), c.maxSimulationDevices(), c.maxSimulationRate(), c.maxSimulationSeconds());
    }

    static Limits defaults() {
        return new Limits(DEFAULT_MAX_VIRTUAL_DEVICES, DEFAULT_MAX_SIMULATION_DEVICES, DEFAULT_MAX_SIMULATION_RATE,
                DEFAULT_MAX_SIMULATION_SECONDS);
    }

    /** Refuses one more virtual device when {@code running} run already. */
    void checkCapacity(int running) {
        if (running >= maxVirtualDevices) {
            throw new ThingportException(ErrorCode.UNAVAILABLE, "at most " + maxVirtualDevices
                    + " virtual devices run at once" + CONFIG + ": stop one first (iot:virtual-device-stop)");
        }
    }

    /** Refuses an interval that is neither zero (no periodic reports) nor within [MIN_INTERVAL, MAX_INTERVAL]. */
    static void checkInterval(Duration interval) {
        if (interval.isZero()) {
            return;
        }
        if (interval.isNegative() || interval.compareTo(VirtualDeviceOptions.MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw ThingportException.invalidArgument("interval " + interval.toMillis() + " ms is out of range: 0 (no periodic reports) or "
                    + VirtualDeviceOptions.MIN_INTERVAL.toMillis() + " ms to " + MAX_INTERVAL.toHours() + " h");
        }
    }

    /** Refuses a simulation beyond the bounds: every broken bound is named. */
    void checkSimulation(SimulationRequest r) {
        StringBuilder problems = new StringBuilder();
        if (r.devices() < 1 || r.devices() > maxSimulationDevices) {
            problems.append("; devices ").append(r.devices()).append(" is out of range 1..").append(maxSimulationDevices)
                    .append(" (maxSimulationDevices)");
        }
        if (!(r.rate() > 0) || r.rate() > maxSimulationRate || Double.isInfinite(r.rate())) {
            problems.append("; rate ").append(r.rate()).append(" is out of range: more than 0, at most ")
                    .append(maxSimulationRate).append(" reports/s (maxSimulationRate)");
        }
        Duration d = r.duration();
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofSeconds(maxSimulationSeconds)) > 0) {
            problems.append("; duration ").append(d.toMillis() / 1000.0).append(" s is out of range: more than 0, at most ")
                    .append(maxSimulationSeconds).append(" s (maxSimulationSeconds)");
        }
        if (!problems.isEmpty()) {
            throw ThingportException.invalidArgument("simulation refused: " + problems.substring(2)
                    + " (bounds in etc/io.thingport.simulator.cfg)");
        }
    }
}
