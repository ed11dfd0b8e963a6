package io.thingport.shell.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.ImportFormat;
import io.thingport.api.device.ImportProgress;
import io.thingport.shell.support.Fakes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** iot:device-import: what it hands the device service, what it prints, and its progress on the error stream. */
class DeviceImportCommandTest {
    @Test
    void printsTheDevicesAndItsProgressOnTheErrorStream(@TempDir Path dir) throws Exception {
        // Verifies that the command imports the file's text in the format of its extension with a progress listener,
        // prints id,secret of each device on its output, and the progress (plain lines outside a terminal) and the
        // summary on its error stream.
        // GIVEN a JSON file and a service that reports both phases of its two devices
        Path file = Files.writeString(dir.resolve("devices.json"), "[{\"id\":\"d1\"},{\"id\":\"d2\"}]");
        List<String> calls = new ArrayList<>();
        DeviceImportCommand command = new DeviceImportCommand();
        command.devices = Fakes.service(DeviceService.class, Map.of("importDevices", args -> {
            calls.add(args[0] + " " + args[1] + " " + args[2]);
            ImportProgress progress = (ImportProgress) args[3];
            progress.progress(ImportProgress.CHECKED, 0, 2);
            progress.progress(ImportProgress.CHECKED, 2, 2);
            progress.progress(ImportProgress.STORED, 0, 2);
            progress.progress(ImportProgress.STORED, 2, 2);
            return List.of(created("d1"), created("d2"));
        }));
        command.productId = "p1";
        command.file = file.toString();

        // WHEN it runs outside a terminal (no session)
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        String out;
        try {
            out = Fakes.output(command::execute);
        } finally {
            System.setErr(originalErr);
        }

        // THEN the service got the JSON, the output is the devices, the error stream the progress and the summary
        assertThat(calls).containsExactly("p1 [{\"id\":\"d1\"},{\"id\":\"d2\"}] " + ImportFormat.JSON);
        assertThat(out.lines()).containsExactly("id,secret", "d1,secret-d1", "d2,secret-d2");
        assertThat(errBytes.toString(StandardCharsets.UTF_8).lines()).containsExactly("checked 2/2", "stored 2/2",
                "2 device(s) created in product p1");
    }

    private static CreatedDevice created(String id) {
        return new CreatedDevice(new Device(id, "p1", id, true, DeviceState.NEVER_ONLINE, Instant.parse("2026-12-03T10:00:00Z")),
                "secret-" + id);
    }
}
