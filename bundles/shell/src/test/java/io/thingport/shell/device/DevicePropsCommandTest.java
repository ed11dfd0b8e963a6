package io.thingport.shell.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.device.DeviceService;
import io.thingport.api.device.PropertyBucket;
import io.thingport.api.device.PropertyPage;
import io.thingport.api.device.PropertyValue;
import io.thingport.shell.support.Fakes;
import io.thingport.shell.support.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** iot:device-props --history with a time range and as a downsampled series. */
class DevicePropsCommandTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private static PropertyValue temp(int seconds, double value) {
        return new PropertyValue("dev-1", "temp", value, Double.toString(value), T0.plusSeconds(seconds));
    }

    @Test
    void aHistoryIsReadPageByPageUpToTheLimit() throws Exception {
        // Verifies the range passed on, the cursor of each page passed back, and pages asked for no more than remain
        // of --limit (and at most 1000).
        // GIVEN a history of two pages
        List<List<Object>> calls = new ArrayList<>();
        DevicePropsCommand command = new DevicePropsCommand();
        command.devices = Fakes.service(DeviceService.class, Map.of("propertyHistory", args -> {
            calls.add(Arrays.asList(args));
            return args[4] == null ? new PropertyPage(List.of(temp(3, 3), temp(2, 2)), "c1") : new PropertyPage(List.of(temp(1, 1)), null);
        }));
        command.id = "dev-1";
        command.history = "temp";
        command.from = "2026-12-03T10:00:00Z";
        command.limit = 3;
        command.noFormat = true;
        // WHEN
        String out = Fakes.output(command::execute);
        command.limit = 1500;
        Fakes.output(command::execute);
        // THEN
        assertThat(calls).containsExactly(Arrays.asList("dev-1", "temp", T0, null, null, 3),
                Arrays.asList("dev-1", "temp", T0, null, "c1", 1),
                Arrays.asList("dev-1", "temp", T0, null, null, 1000), Arrays.asList("dev-1", "temp", T0, null, "c1", 1000));
        assertThat(out.lines()).containsExactly("temp\t3.0\t" + Values.time(T0.plusSeconds(3)),
                "temp\t2.0\t" + Values.time(T0.plusSeconds(2)),
                "temp\t1.0\t" + Values.time(T0.plusSeconds(1)));
    }

    @Test
    void aSeriesPrintsOneRowPerBucket() throws Exception {
        // Verifies --interval: the arguments of the series, and its buckets printed oldest first, "-" where a bucket
        // has no numeric statistics.
        // GIVEN
        List<Object[]> calls = new ArrayList<>();
        DevicePropsCommand command = new DevicePropsCommand();
        command.devices = Fakes.service(DeviceService.class, Map.of("propertySeries", args -> {
            calls.add(args);
            return List.of(new PropertyBucket(T0, 3, 20.0, 22.0, 21.0, 21.0), new PropertyBucket(T0.plusSeconds(60), 2, null, null, null,
                    "idle"));
        }));
        command.id = "dev-1";
        command.history = "temp";
        command.from = "2026-12-03T10:00:00Z";
        command.to = "2026-12-03T10:05:00Z";
        command.interval = "PT1M";
        command.noFormat = true;
        // WHEN
        String out = Fakes.output(command::execute);
        // THEN
        assertThat(calls).singleElement().satisfies(args -> assertThat(args).containsExactly("dev-1", "temp", T0, T0.plusSeconds(300),
                Duration.ofMinutes(1)));
        assertThat(out.lines()).containsExactly(Values.time(T0) + "\t3\t20.0\t22.0\t21.0\t21.0",
                Values.time(T0.plusSeconds(60)) + "\t2\t-\t-\t-\t\"idle\"");
    }

    @Test
    void optionsThatDoNotGoTogetherAreRefused() {
        // Verifies the messages for a range without --history, an interval without a range, bad times and durations,
        // and a limit below 1.
        // GIVEN
        DevicePropsCommand command = new DevicePropsCommand();
        command.devices = Fakes.service(DeviceService.class, Map.of());
        command.id = "dev-1";
        // WHEN / THEN
        command.from = "2026-12-03T10:00:00Z";
        assertThatThrownBy(command::execute).hasMessageContaining("--from, --to and --interval go with --history <property>");
        command.history = "temp";
        command.interval = "PT1M";
        assertThatThrownBy(command::execute).hasMessageContaining("--interval needs --from and --to");
        command.interval = "1m";
        assertThatThrownBy(command::execute).hasMessageContaining("--interval '1m' is not an ISO-8601 duration such as PT1M");
        command.interval = null;
        command.to = "10:00";
        assertThatThrownBy(command::execute).hasMessageContaining("--to '10:00' is not an ISO-8601 instant");
        command.to = null;
        command.limit = 0;
        assertThatThrownBy(command::execute).hasMessageContaining("--limit 0 must be at least 1");
    }
}
