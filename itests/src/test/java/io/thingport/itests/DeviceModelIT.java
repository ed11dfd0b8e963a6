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
 * The device model of issue 15 in the running distribution, with real devices: the device shadow over MQTT and over
 * TCP frames, through the REST API and the shell.
 */
public class DeviceModelIT {
    private static Distribution dist;
    private static ApiClient admin;
    private static int tcpPort;

    @BeforeClass
    public static void start() throws Exception {
        dist = Distribution.unpack("device-model", Map.of(), 1);
        tcpPort = dist.spare[0];
        dist.start();
        admin = ApiClient.basic(dist.httpPort, "karaf", dist.password());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> admin.get("/auth/me").status() == 200);
        dist.shell("iot:product-create --model examples/thing-models/thermostat.json thermo");
        for (String id : new String[] {"s-1", "s-2"}) {
            Matcher m = Pattern.compile("device secret: (\\S+)").matcher(dist.shell("iot:device-create thermo " + id));
            assertThat(m.find()).isTrue();
            DeviceSecrets.put(id, m.group(1));
        }
        dist.shell("iot:network-create frames tcp-server host=127.0.0.1 port=" + tcpPort);
        dist.shell("iot:gateway-create frames-gw official frames");
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.stop();
        }
    }

    private static String messageId(String payload) {
        return payload.replaceAll(".*\"messageId\":\"([^\"]+)\".*", "$1");
    }

    @Test
    public void theShadowOverMqttTheApiAndTheShell() throws Exception {
        // Verifies the shadow end to end: desired set over REST (checked against the thing model, versions compared), the
        // delta pushed to the MQTT device when it subscribes and live afterwards, reported state from property reports and
        // from shadow updates, the device's get and a rejected stale update, and the shell commands.
        // GIVEN desired values set over REST while the device is offline
        String update = "{\"state\":{\"desired\":{\"target\":21.5,\"led\":true}},\"clientToken\":\"c1\"}";
        JsonNode first = admin.post("/devices/s-1/shadow", update).json();
        assertThat(first.path("version").asLong()).isEqualTo(1);
        assertThat(first.path("clientToken").asText()).isEqualTo("c1");
        assertThat(first.path("state").path("delta").path("led").asBoolean()).isTrue();
        // refusals change nothing
        ApiClient.Answer stale = admin.post("/devices/s-1/shadow", "{\"state\":{\"desired\":{\"led\":false}},\"version\":0}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(admin.call("POST", "/devices/s-1/shadow", "{\"state\":{\"desired\":{\"led\":false}}}", Map.of("If-Match", "\"0\""))
                .status()).isEqualTo(412);
        ApiClient.Answer readOnly = admin.post("/devices/s-1/shadow", "{\"state\":{\"desired\":{\"temp\":20}}}");
        assertThat(readOnly.status()).isEqualTo(400);
        assertThat(readOnly.body()).contains("read-only");
        assertThat(admin.post("/devices/s-1/shadow", "{\"state\":{\"desired\":{\"colour\":1}}}").code()).isEqualTo("unknown_identifier");
        assertThat(admin.post("/devices/s-1/shadow", "{\"state\":5}").status()).isEqualTo(400);
        assertThat(admin.post("/devices/s-1/shadow", "{\"state\":{\"desired\":{\"target\":99}}}").code()).isEqualTo("invalid_value");
        assertThat(admin.post("/devices/s-1/shadow", "{\"state\":{\"desired\":{\"label\":\"" + "x".repeat(9000) + "\"}}}").status())
                .isEqualTo(400);
        assertThat(admin.get("/devices/nobody/shadow").status()).isEqualTo(404);
        ApiClient.Answer read = admin.get("/devices/s-1/shadow");
        assertThat(read.headers().firstValue("ETag")).hasValue("\"1\"");

        try (DeviceClient device = DeviceClient.connect(dist.mqttPort, "thermo", "s-1", DeviceSecrets.get("s-1"))) {
            // WHEN the device subscribes / THEN it is offered its delta
            device.subscribeAll(null);
            await().atMost(Duration.ofSeconds(10)).until(() -> device.received.stream().anyMatch(r -> r.startsWith("shadow/update/delta ")
                    && r.contains("\"target\":21.5") && r.contains("\"led\":true")));
            // WHEN it reports target as an ordinary property / THEN the shadow's reported state has it, the delta not
            device.publish("properties/report", "{\"messageId\":\"r1\",\"properties\":{\"target\":21.5}}");
            JsonNode shadow = admin.get("/devices/s-1/shadow").json();
            assertThat(shadow.path("state").path("reported").path("target").asDouble()).isEqualTo(21.5);
            assertThat(shadow.path("state").path("delta").has("target")).isFalse();
            // WHEN it updates its reported led through the shadow / THEN accepted, version 2, no delta left
            device.publish("shadow/update", "{\"messageId\":\"u1\",\"state\":{\"reported\":{\"led\":true}},\"clientToken\":\"d1\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> device.received.stream().anyMatch(r ->
                    r.startsWith("shadow/update/accepted ") && r.contains("\"messageId\":\"u1\"") && r.contains("\"version\":2")
                            && r.contains("\"clientToken\":\"d1\"")));
            assertThat(admin.get("/devices/s-1/shadow").json().path("state").has("delta")).isFalse();
            // a get, and a stale update rejected with 409
            device.publish("shadow/get", "{\"messageId\":\"g1\"}");
            device.publish("shadow/update", "{\"messageId\":\"u2\",\"state\":{\"reported\":{\"led\":false}},\"version\":1}");
            await().atMost(Duration.ofSeconds(10)).until(() -> device.received.stream().anyMatch(r ->
                    r.startsWith("shadow/get/accepted ") && r.contains("\"messageId\":\"g1\"") && r.contains("\"version\":2"))
                    && device.received.stream().anyMatch(r -> r.startsWith("shadow/update/rejected ") && r.contains("\"u2\"")
                    && r.contains("\"code\":409")));
            // a malformed update is rejected with 400, nothing stored
            device.publish("shadow/update", "{\"messageId\":\"u3\",\"state\":{\"desired\":[1]}}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(device.received).anyMatch(r ->
                    r.startsWith("shadow/update/rejected ") && r.contains("\"u3\"") && r.contains("\"code\":400")));
            // WHEN an application changes desired while the device is online / THEN the delta comes at once
            admin.post("/devices/s-1/shadow", "{\"state\":{\"desired\":{\"mode\":2}}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> device.received.stream().anyMatch(r ->
                    r.startsWith("shadow/update/delta ") && r.contains("\"mode\":\"2\"") && r.contains("\"version\":3")));
            assertThat(admin.get("/devices/s-1/logs?type=uplink&limit=50").body()).contains("shadow/update");
        }
        // the shell
        assertThat(dist.shell("iot:shadow-get s-1")).contains("\"mode\" : \"2\"").contains("\"version\" : 3");
        assertThat(dist.shellAllowingErrors("iot:shadow-update --version 1 s-1 mode=1")).contains("not the shadow's current version 3");
        assertThat(dist.shell("iot:shadow-update s-1 mode=null")).contains("\"version\" : 4");
        assertThat(dist.shell("iot:shadow-delete s-1")).contains("Shadow of device s-1 emptied (version 5)");
        JsonNode emptied = admin.get("/devices/s-1/shadow").json();
        assertThat(emptied.path("state").size()).as("older property reports stay hidden after a delete").isZero();
    }

    @Test
    public void theDeltaWaitsForTheDeviceAndComesOnReconnectOverTcp() throws Exception {
        // Verifies the second transport: a device on TCP frames is pushed its delta when it connects, and its shadow get
        // is answered on the same connection.
        // GIVEN desired state set while s-2 is offline
        assertThat(admin.post("/devices/s-2/shadow", "{\"state\":{\"desired\":{\"led\":true}}}").status()).isEqualTo(200);
        // WHEN it connects over TCP
        try (FrameDevice device = FrameDevice.connect(tcpPort, "thermo", "s-2")) {
            assertThat(device.loginReply).doesNotContain("error");
            // THEN the delta is the first frame
            String delta = device.readLine();
            assertThat(delta).startsWith("/thermo/s-2/shadow/update/delta ").contains("\"led\":true");
            device.publish("shadow/get", "{\"messageId\":\"g1\"}");
            String answer = device.readLine();
            assertThat(answer).startsWith("/thermo/s-2/shadow/get/accepted ").contains("\"messageId\":\"g1\"");
            assertThat(messageId(answer)).isEqualTo("g1");
        }
    }
}
