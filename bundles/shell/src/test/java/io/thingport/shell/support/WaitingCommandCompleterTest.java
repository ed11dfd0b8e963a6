package io.thingport.shell.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WaitingCommandCompleterTest {
    @Test
    void findsTheDeviceIdWhereverItIsOnTheLine() {
        // Verifies that the device id is the first plain argument, skipping options, their values and the argument being
        // completed.
        // GIVEN / WHEN / THEN
        assertThat(WaitingCommandCompleter.deviceId(List.of("iot:device-queue", "meter-1", "--cancel", ""), 3)).hasValue("meter-1");
        assertThat(WaitingCommandCompleter.deviceId(List.of("iot:device-queue", "--limit", "5", "--cancel", "", "meter-1"), 4))
                .hasValue("meter-1");
        assertThat(WaitingCommandCompleter.deviceId(List.of("iot:device-queue", "--cancel", "c1"), 2)).isEmpty();
        assertThat(WaitingCommandCompleter.deviceId(List.of("iot:device-queue", "--no-format", "met"), 2)).isEmpty();
    }
}
