package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Virtual devices and iot:simulate (issue 15, item 5) in the running distribution: a virtual device connects to the
 * platform's own MQTT server, its reports are stored, it answers reads, writes and invocations, is driven from the
 * shell and the REST API and stops; a simulation runs throw-away devices and prints its summary.
 */
public class SimulatorIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Distribution dist;
    private static ApiClient admin;

    @BeforeClass
    public static void start() throws Exception {
        dist = Distribution.unpack("simulator", Map.of(), 0);
        dist.start();
        admin = ApiClient.basic(dist.httpPort, "karaf", dist.password());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> admin.get("/auth/me").status() == 200);
        dist.shell("iot:product-create --model examples/thing-models/thermostat.json thermo");
        dist.shell("iot:device-create thermo v-1");
        dist.shell("iot:device-create thermo v-2");
        dist.shell("iot:device-create thermo v-3");
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.stop();
        }
    }

    @Test
    public void aVirtualDeviceReportsAnswersCommandsAndIsDriven() throws Exception {
        // Verifies a virtual device end to end: started from the shell it logs in to the MQTT server, its generated and
        // fixed values are stored, it answers a read, a write and an invocation as its thing model says, takes values
        // and raises an event from the shell, refuses a bad value, shows in the list and over REST, and stops.
        // GIVEN a virtual device started with a fixed label, reporting every half second
        assertThat(dist.shell("iot:virtual-device-start --interval 0.5 v-1 label=fixed")).contains("started on mqtt (online;");

        // WHEN it has reported
        // THEN its reports are stored: generated values and the fixed one
        await().atMost(WAIT).untilAsserted(() -> assertThat(dist.shell("iot:device-props --no-format v-1"))
                .contains("temp\t").contains("humidity\t").contains("label\t\"fixed\"\t"));
        assertThat(dist.shell("iot:virtual-device-list --no-format")).contains("v-1\tthermo\tonline\tmqtt\t500 ms\t");

        // AND it answers commands per the thing model
        assertThat(dist.shell("iot:device-read v-1 label humidity")).contains("success").contains("label = \"fixed\"")
                .containsPattern("humidity = \\d+");
        assertThat(dist.shell("iot:device-write v-1 target=21.5 mode=eco")).contains("success").contains("target = 21.5")
                .contains("mode = \"2\"");
        assertThat(dist.shell("iot:device-invoke v-1 selfTest")).contains("success").containsPattern("output: \\{\"ok\":(true|false)");
        await().atMost(WAIT).untilAsserted(() -> assertThat(dist.shell("iot:device-props --no-format v-1"))
                .contains("target\t21.5\t").contains("mode\t\"2\"\t"));

        // AND it is driven from the shell: values set and reported, an event raised, a bad value refused
        assertThat(dist.shell("iot:virtual-device-set v-1 humidity=42")).contains("\"humidity\":42");
        await().atMost(WAIT).untilAsserted(() -> assertThat(dist.shell("iot:device-props --no-format v-1")).contains("humidity\t42\t"));
        dist.shell("iot:virtual-device-event v-1 overheated 91.5");
        await().atMost(WAIT).untilAsserted(() -> assertThat(dist.shell("iot:device-log --limit 50 --no-format v-1"))
                .contains("/thermo/v-1/event/overheated"));
        assertThat(dist.shellAllowingErrors("iot:virtual-device-set v-1 humidity=420")).contains("Error executing command")
                .contains("above the maximum 100");
        assertThat(dist.shellAllowingErrors("iot:virtual-device-start v-1")).contains("virtual device already");
        assertThat(dist.shellAllowingErrors("iot:virtual-device-start nobody")).contains("device nobody does not exist");

        // AND over REST
        JsonNode info = admin.get("/virtual-devices/v-1").json();
        assertThat(info.path("state").asText()).isEqualTo("online");
        assertThat(info.path("values").path("humidity").asInt()).isEqualTo(42);
        assertThat(info.path("commands").asLong()).isGreaterThanOrEqualTo(3);

        // WHEN it is stopped
        dist.shell("iot:virtual-device-stop v-1");

        // THEN it is gone and the platform sees it go offline
        assertThat(dist.shell("iot:virtual-device-list --no-format")).doesNotContain("v-1");
        assertThat(admin.get("/virtual-devices/v-1").status()).isEqualTo(404);
        await().atMost(WAIT).untilAsserted(() -> assertThat(admin.get("/devices/v-1").json().path("state").path("online").asBoolean())
                .isFalse());
    }

    @Test
    public void aVirtualDeviceOverRest() throws Exception {
        // Verifies the REST endpoints of virtual devices: start (201), set, event, list, stop (204) and the refusals.
        // GIVEN a device of the thermostat product
        // WHEN it is started over REST without periodic reports
        ApiClient.Answer started = admin.post("/virtual-devices/v-2", "{\"intervalSeconds\":0}");

        // THEN it runs, takes values and events, and stops
        assertThat(started.status()).isEqualTo(201);
        assertThat(started.json().path("intervalMs").asLong()).isZero();
        await().atMost(WAIT).until(() -> admin.get("/virtual-devices/v-2").json().path("state").asText().equals("online"));
        assertThat(admin.post("/virtual-devices/v-2/properties", "{\"temp\":19.25}").json().path("values").path("temp").asDouble())
                .isEqualTo(19.25);
        await().atMost(WAIT).untilAsserted(() -> assertThat(dist.shell("iot:device-props --no-format v-2")).contains("temp\t19.25\t"));
        assertThat(admin.post("/virtual-devices/v-2/events/overheated", "{}").status()).isEqualTo(200);
        assertThat(admin.post("/virtual-devices/v-2/events/nope", "{}").status()).isEqualTo(400);
        assertThat(admin.post("/virtual-devices/v-2", "{}").status()).isEqualTo(409);
        assertThat(admin.post("/virtual-devices/v-2", "{\"intervalSeconds\":0.01}").status()).isIn(400, 409);
        assertThat(admin.get("/virtual-devices").json().path("items").toString()).contains("\"deviceId\":\"v-2\"");
        assertThat(admin.delete("/virtual-devices/v-2").status()).isEqualTo(204);
        assertThat(admin.delete("/virtual-devices/v-2").status()).isEqualTo(404);
    }

    @Test
    public void stoppingTheSimulatorStopsItsDevices() throws Exception {
        // Verifies that stopping the simulator bundle disconnects its virtual devices, that the Open API stays up and
        // answers 503 for them meanwhile, and that the bundle starts again empty.
        // GIVEN a running virtual device
        dist.shell("iot:virtual-device-start --interval 0 v-3");
        await().atMost(WAIT).until(() -> admin.get("/devices/v-3").json().path("state").path("online").asBoolean());

        // WHEN the simulator bundle stops
        dist.shell("bundle:stop io.thingport.simulator");

        // THEN the device goes offline and the endpoints say what is missing
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(admin.get("/devices/v-3").json().path("state").path("online").asBoolean()).isFalse();
            ApiClient.Answer a = admin.get("/virtual-devices");
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.body()).contains("thingport-simulator");
        });

        // AND started again it runs no device
        dist.shell("bundle:start io.thingport.simulator");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            ApiClient.Answer a = admin.get("/virtual-devices");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json().path("items").toString()).doesNotContain("v-3");
        });
    }

    @Test
    public void simulateRunsThrowAwayDevicesAndSummarises() throws Exception {
        // Verifies iot:simulate: throw-away devices report at the rate for the duration, the summary has the counters
        // and latency percentiles, the devices are deleted afterwards; out-of-bounds requests are refused; the REST
        // endpoint runs one with progress at its address.
        // GIVEN the thermostat product
        // WHEN 3 throw-away devices report 30 times a second for 4 seconds
        String out = dist.shell("iot:simulate --product thermo --devices 3 --rate 30 --duration 4 --create");

        // THEN the summary shows a finished run with acknowledged reports, no errors and latency percentiles (the live
        // progress line goes to the error stream, which bin/client does not pass on)
        assertThat(out).contains("(finished)").containsPattern("latency ms\\s+p50=[0-9.]+ p90=[0-9.]+ p99=");
        Matcher acked = Pattern.compile("acked\\s+(\\d+)").matcher(out);
        assertThat(acked.find()).as(out).isTrue();
        assertThat(Long.parseLong(acked.group(1))).isGreaterThan(50);
        assertThat(out).containsPattern("errors\\s+0\\b");
        assertThat(dist.shell("iot:device-list --product thermo --no-format")).doesNotContain("sim-");

        // AND requests beyond the bounds are refused, naming the bound
        assertThat(dist.shellAllowingErrors("iot:simulate --product thermo --devices 5000 --rate 10 --duration 5"))
                .contains("devices 5000 is out of range 1..1000");
        assertThat(dist.shellAllowingErrors("iot:simulate --product thermo --devices 5 --rate 10 --duration 5"))
                .contains("fewer than the 5 asked for");

        // AND over REST a simulation runs with its progress at its address
        ApiClient.Answer started = admin.post("/simulations",
                "{\"productId\":\"thermo\",\"devices\":2,\"rate\":20,\"durationSeconds\":2,\"create\":true}");
        assertThat(started.status()).isEqualTo(202);
        String id = started.json().path("id").asText();
        await().atMost(WAIT).until(() -> admin.get("/simulations/" + id).json().path("done").asBoolean());
        JsonNode done = admin.get("/simulations/" + id).json();
        assertThat(done.path("state").asText()).isEqualTo("finished");
        assertThat(done.path("acked").asLong()).isGreaterThan(10);
        assertThat(done.path("latency").path("count").asLong()).isEqualTo(done.path("acked").asLong());
        assertThat(admin.post("/simulations", "{\"productId\":\"thermo\",\"devices\":2,\"rate\":20}").status()).isEqualTo(400);
    }
}
