package io.thingport.api.simulation;

import java.time.Duration;
import java.util.Objects;

/**
 * What to simulate.
 *
 * @param productId the product whose thing model the reports follow
 * @param devices   how many devices
 * @param rate      reports per second over all devices
 * @param duration  how long the devices report (required: a simulation never runs forever)
 * @param create    create that many throw-away devices (deleted afterwards) instead of using the product's existing ones
 */
public record SimulationRequest(String productId, int devices, double rate, Duration duration, boolean create) {
    public SimulationRequest {
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(duration, "duration");
    }
}
