package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesFilesTest {
    @TempDir
    Path dir;

    @Test
    void parsesWithAndWithoutHeader() throws Exception {
        List<Device> a = DeviceCsv.parse(List.of("deviceId,secret", "d1,s1", "", " d2 , s2 "), "t");
        assertEquals(List.of(new Device("d1", "s1"), new Device("d2", "s2")), a);
        List<Device> b = DeviceCsv.parse(List.of("# comment", "d1,s1"), "t");
        assertEquals(List.of(new Device("d1", "s1")), b);
        assertThrows(UsageException.class, () -> DeviceCsv.parse(List.of("d1"), "t"));
        assertThrows(UsageException.class, () -> DeviceCsv.parse(List.of("d1,a", "d1,b"), "t"));
    }

    @Test
    void makeDevicesWritesCsvAndScript() throws Exception {
        Path csv = dir.resolve("devices.csv");
        Path script = dir.resolve("devices.karaf");
        assertEquals(0, MakeDevices.run(new String[] {"--count", "12", "--prefix", "bench-", "--out", csv.toString(),
                "--script", script.toString(), "--product", "p1"}));
        List<Device> devices = DeviceCsv.read(csv);
        assertEquals(12, devices.size());
        assertEquals("bench-01", devices.get(0).id());
        assertEquals("bench-12", devices.get(11).id());
        for (Device d : devices) {
            assertTrue(d.secret().matches("[0-9a-f]{32}"), d.secret());
        }
        assertEquals(DeviceCsv.HEADER, Files.readAllLines(csv).get(0));
        List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        assertEquals(12, lines.size());
        assertEquals("iot:device-create --secret " + devices.get(0).secret() + " p1 bench-01", lines.get(0));

        Path script2 = dir.resolve("other.karaf");
        MakeDevices.run(new String[] {"--count", "1", "--out", dir.resolve("d2.csv").toString(), "--script",
                script2.toString(), "--product", "p1", "--template",
                "iot:device-create --id {deviceId} --secret {secret} {productId}"});
        assertTrue(Files.readAllLines(script2).get(0).matches("iot:device-create --id bench-1 --secret [0-9a-f]{32} p1"));
    }

    @Test
    void loadOptions() throws Exception {
        LoadConfig c = LoadConfig.parse(new String[] {"--devices", "x.csv", "--product", "p", "--rate=2000", "--json"});
        assertEquals("127.0.0.1", c.host);
        assertEquals(1883, c.port);
        assertEquals(2000, c.rate);
        assertEquals(500, c.connectRate);
        assertEquals(16, c.maxInflight);
        assertEquals(2, c.threads);
        assertEquals(60, c.keepaliveS);
        assertEquals(5, c.samples);
        assertEquals(LoadConfig.Transport.MQTT, c.transport);
        assertTrue(c.json);
        assertThrows(UsageException.class, () -> LoadConfig.parse(new String[] {"--product", "p"}));
        assertThrows(UsageException.class, () -> LoadConfig.parse(new String[] {"--devices", "x", "--product", "p",
                "--bogus", "1"}));
    }
}
