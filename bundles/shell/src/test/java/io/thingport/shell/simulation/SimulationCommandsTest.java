package io.thingport.shell.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ThingportException;
import io.thingport.api.simulation.LatencySummary;
import io.thingport.api.simulation.SimulationRequest;
import io.thingport.api.simulation.SimulationService;
import io.thingport.api.simulation.SimulationStatus;
import io.thingport.api.simulation.VirtualDeviceInfo;
import io.thingport.api.simulation.VirtualDeviceOptions;
import io.thingport.api.simulation.VirtualDeviceService;
import io.thingport.shell.support.Fakes;
import io.thingport.shell.support.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** iot:virtual-device-start and iot:simulate: what they pass to the services and what they print. */
class SimulationCommandsTest {
    private static VirtualDeviceInfo online(Duration interval) {
        return new VirtualDeviceInfo("dev-1", "thermo", "online", "", "mqtt", interval, Instant.EPOCH, 0, 0, 0, Map.of());
    }

    private static SimulationStatus status(String state, long sent, long acked) {
        return new SimulationStatus("s1", "thermo", state, "", 3, 3, 30, Duration.ofSeconds(4), Instant.EPOCH,
                Duration.ofSeconds(5), sent, acked, 0, 29.5, acked == 0 ? LatencySummary.NONE
                : new LatencySummary(acked, 1.5, 2.5, 3.5, 4.5, 5.5), true);
    }

    @Test
    void startPassesTheIntervalAndFixedValues() throws Exception {
        // Verifies that --interval in seconds and the name=value pairs reach the service, and the answer is printed.
        // GIVEN a service that starts devices online at once
        List<VirtualDeviceOptions> given = new ArrayList<>();
        VirtualDeviceStartCommand command = new VirtualDeviceStartCommand();
        command.virtualDevices = Fakes.service(VirtualDeviceService.class, Map.of(
                "start", args -> {
                    given.add((VirtualDeviceOptions) args[1]);
                    return online(((VirtualDeviceOptions) args[1]).interval());
                },
                "find", args -> Optional.empty()));
        command.deviceId = "dev-1";
        command.interval = "0.5";
        command.values = List.of("label=lab", "humidity=42");

        // WHEN it runs
        String out = Fakes.output(command::execute);

        // THEN the options are the interval and the values read as JSON where they parse
        assertThat(given).singleElement().satisfies(o -> {
            assertThat(o.interval()).isEqualTo(Duration.ofMillis(500));
            assertThat(o.values()).containsExactly(Map.entry("label", "lab"), Map.entry("humidity", 42));
        });
        assertThat(out).contains("Virtual device dev-1 started on mqtt (online; reports every 500 ms)");
    }

    @Test
    void durationsAreSecondsOrIso() {
        // Verifies the duration options: seconds, fractions of a second, ISO-8601, and a clear refusal naming the option.
        // GIVEN / WHEN / THEN
        assertThat(Values.seconds("--duration", "10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Values.seconds("--interval", "0.25")).isEqualTo(Duration.ofMillis(250));
        assertThat(Values.seconds("--duration", "PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Values.seconds("--duration", null)).isNull();
        assertThatThrownBy(() -> Values.seconds("--duration", "soon")).isInstanceOf(ThingportException.class)
                .hasMessageContaining("--duration 'soon'");
    }

    @Test
    void simulateWaitsForTheEndAndPrintsTheSummary() throws Exception {
        // Verifies that iot:simulate passes the request on, follows the simulation to its end and prints the summary with
        // the counters and the latency percentiles.
        // GIVEN a simulation that is finished at the first look
        List<SimulationRequest> requests = new ArrayList<>();
        SimulateCommand command = new SimulateCommand();
        command.simulations = Fakes.service(SimulationService.class, Map.of(
                "start", args -> {
                    requests.add((SimulationRequest) args[0]);
                    return status("running", 0, 0);
                },
                "get", args -> status("finished", 120, 119)));
        command.productId = "thermo";
        command.devices = 3;
        command.rate = 30;
        command.duration = "4";
        command.create = true;

        // WHEN it runs
        String out = Fakes.output(command::execute);

        // THEN the request is as given and the summary shows the run
        assertThat(requests).containsExactly(new SimulationRequest("thermo", 3, 30, Duration.ofSeconds(4), true));
        assertThat(out).contains("simulation   s1 (finished)").contains("sent         120").contains("acked        119")
                .contains("latency ms   p50=1.500 p90=2.500 p99=3.500 p999=4.500 max=5.500 (n=119)");
    }
}
