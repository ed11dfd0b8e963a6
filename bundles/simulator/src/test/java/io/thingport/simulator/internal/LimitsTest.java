package io.thingport.simulator.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.simulation.SimulationRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitsTest {
    private final Limits limits = new Limits(2, 10, 100, 60);

    @Test
    void refusesAVirtualDeviceBeyondTheMost() {
        // Verifies that virtual devices beyond the configured most are refused as unavailable, naming the bound.
        // GIVEN a bound of 2 virtual devices
        // WHEN one and then two run
        // THEN a second is accepted, a third refused
        assertThatCode(() -> limits.checkCapacity(1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.checkCapacity(2)).isInstanceOf(ThingportException.class)
                .hasMessageContaining("at most 2 virtual devices").hasMessageContaining("maxVirtualDevices")
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void refusesIntervalsOutOfRange() {
        // Verifies that a report interval is zero (none) or between 100 ms and a day.
        // GIVEN / WHEN / THEN zero and 1 s pass; 50 ms, negative and two days are refused
        assertThatCode(() -> Limits.checkInterval(Duration.ZERO)).doesNotThrowAnyException();
        assertThatCode(() -> Limits.checkInterval(Duration.ofSeconds(1))).doesNotThrowAnyException();
        for (Duration d : new Duration[] {Duration.ofMillis(50), Duration.ofSeconds(-1), Duration.ofDays(2)}) {
            assertThatThrownBy(() -> Limits.checkInterval(d)).isInstanceOf(ThingportException.class).hasMessageContaining("interval");
        }
    }

    @Test
    void refusesSimulationsBeyondTheBoundsNamingEach() {
        // Verifies that a simulation beyond its bounds is refused with every broken bound named, and one within passes.
        // GIVEN bounds of 10 devices, 100 reports/s, 60 s
        // WHEN a request breaks all three
        // THEN the refusal names each
        assertThatThrownBy(() -> limits.checkSimulation(new SimulationRequest("p", 11, 101, Duration.ofSeconds(61), true)))
                .isInstanceOf(ThingportException.class)
                .hasMessageContaining("devices 11 is out of range 1..10")
                .hasMessageContaining("rate 101.0")
                .hasMessageContaining("duration 61.0 s");
        assertThatThrownBy(() -> limits.checkSimulation(new SimulationRequest("p", 0, 0, Duration.ZERO, true)))
                .hasMessageContaining("devices 0").hasMessageContaining("rate 0.0").hasMessageContaining("duration 0.0 s");
        assertThatCode(() -> limits.checkSimulation(new SimulationRequest("p", 10, 100, Duration.ofSeconds(60), false)))
                .doesNotThrowAnyException();
    }
}
