package io.thingport.shell.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.LogType;
import io.thingport.shell.support.Fakes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What iot:device-log shows of an entry whose payload the device log kept only the start of. */
class DeviceLogCommandTest {

    @Test
    void aTruncatedPayloadIsMarkedWithAndWithoutRaw() throws Exception {
        // Verifies the mark in the detail column, after the detail or alone, and that whole entries carry none.
        // GIVEN a cut uplink, a cut rejection with a detail, and a whole uplink
        DeviceLogEntry cut = entry(1, "", true);
        DeviceLogEntry cutRejected = entry(2, "malformed: not JSON", true);
        DeviceLogEntry whole = entry(3, "", false);
        DeviceLogCommand command = new DeviceLogCommand();
        command.log = Fakes.service(DeviceLogService.class, Map.of("recent", args -> List.of(cut, cutRejected, whole)));
        command.noFormat = true;
        // WHEN
        String plain = Fakes.output(command::execute);
        command.raw = true;
        String raw = Fakes.output(command::execute);
        // THEN
        List<String> lines = plain.lines().toList();
        assertThat(lines.get(0)).endsWith("\t[payload truncated]");
        assertThat(lines.get(1)).endsWith("\tmalformed: not JSON [payload truncated]");
        assertThat(lines.get(2)).doesNotContain("truncated");
        assertThat(raw.lines().toList().get(0)).endsWith("\t[payload truncated]\t{\"note\":\"xxx");
    }

    private static DeviceLogEntry entry(long id, String detail, boolean truncated) {
        return new DeviceLogEntry(id, Instant.EPOCH, "dev-1", "thermo", LogType.UPLINK, "properties/report", "m" + id,
                "/thermo/dev-1/properties/report", "{\"note\":\"xxx", "{\"note\":\"xxx", detail, truncated);
    }
}
