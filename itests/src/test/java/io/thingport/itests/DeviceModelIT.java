package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The device model of issue 15 in the running distribution, with real devices, through the REST API and the shell:
 * product options and device alarms (raised, resent, cleared, acknowledged, read by a rule from
 * {@code $events/device/alarm}); the device shadow and gateway sub-devices, over MQTT and over TCP frames.
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
        dist.shell("iot:product-create --node-type gateway --model examples/thing-models/thermostat.json hub");
        for (String id : new String[] {"thermo s-1", "thermo s-2", "hub gw-1", "hub gw-2", "thermo c-1", "thermo c-2", "thermo c-9"}) {
            Matcher m = Pattern.compile("device secret: (\\S+)").matcher(dist.shell("iot:device-create " + id));
            assertThat(m.find()).isTrue();
            DeviceSecrets.put(id.split(" ")[1], m.group(1));
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

    @Test
    public void aGatewaySpeaksForItsSubDevices() throws Exception {
        // Verifies sub-devices end to end: bindings over REST and the shell (with their refusals), a gateway on MQTT that
        // reports for a child, gets the child's commands and answers them, registers a new child, reports one offline;
        // an unbound child and an invalid value refused with an /error on the child's topic; the gateway going offline
        // takes its children with it; a gateway on TCP frames speaks for its child too.
        // GIVEN c-1 bound over REST, c-2 from the shell
        assertThat(admin.post("/devices/gw-1/children", "{\"id\":\"c-1\"}").status()).isEqualTo(201);
        assertThat(admin.post("/devices/gw-1/children", "{\"id\":\"c-1\"}").status()).isEqualTo(200);
        dist.shell("iot:device-bind gw-1 c-2");
        assertThat(admin.post("/devices/gw-2/children", "{\"id\":\"c-1\"}").status()).isEqualTo(409);
        assertThat(admin.post("/devices/c-1/children", "{\"id\":\"c-9\"}").body()).contains("product thermo is not a gateway product");
        assertThat(admin.put("/products/hub/settings", "{\"nodeType\":\"device\"}", Map.of()).code()).isEqualTo("conflict");
        assertThat(dist.shellAllowingErrors("iot:product-set --node-type gateway thermo")).contains("cannot be a gateway product");
        assertThat(admin.get("/products/hub").json().path("nodeType").asText()).isEqualTo("gateway");
        assertThat(admin.post("/devices/gw-1/children", "{}").status()).isEqualTo(400);
        dist.shell("iot:product-registration thermo on");
        assertThat(admin.post("/devices/c-1/shadow", "{\"state\":{\"desired\":{\"led\":true}}}").status()).isEqualTo(200);

        try (DeviceClient gateway = DeviceClient.connect(dist.mqttPort, "hub", "gw-1", DeviceSecrets.get("gw-1"))) {
            gateway.subscribeAll((suffix, payload) -> {
                Matcher invoke = Pattern.compile("child/([^/]+)/function/invoke").matcher(suffix);
                if (invoke.matches()) {
                    try {
                        String answer = "{\"messageId\":\"" + messageId(payload) + "\",\"success\":true,\"output\":\"from "
                                + invoke.group(1) + "\"}";
                        gateway.publishTo(gateway.topic("child/" + invoke.group(1) + "/function/invoke/reply"), answer);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            // WHEN the gateway reports for c-1 / THEN c-1 has the value and is online
            gateway.publish("child/c-1/properties/report", "{\"messageId\":\"r1\",\"properties\":{\"temp\":30.5}}");
            assertThat(admin.get("/devices/c-1/properties").json().path("temp").path("value").asDouble()).isEqualTo(30.5);
            assertThat(admin.get("/devices/c-1/state").json().path("online").asBoolean()).isTrue();
            // coming online, c-1 is offered its shadow delta through the gateway
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gateway.received)
                    .anyMatch(r -> r.startsWith("child/c-1/shadow/update/delta ") && r.contains("\"led\":true")));
            // a child that is not its own (the gateway's message refused: its /error) and a value the thing model refuses
            // (the child's /error): nothing stored
            gateway.publish("child/c-9/properties/report", "{\"messageId\":\"r2\",\"properties\":{\"temp\":1}}");
            gateway.publish("child/c-1/properties/report", "{\"messageId\":\"r3\",\"properties\":{\"temp\":900}}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gateway.received)
                    .anyMatch(r -> r.startsWith("error ") && r.contains("not a sub-device of gateway gw-1"))
                    .anyMatch(r -> r.startsWith("child/c-1/error ") && r.contains("invalid_value")));
            assertThat(admin.get("/devices/c-9/properties").json().size()).isZero();
            assertThat(admin.get("/devices/gw-1/logs?type=rejected").body()).contains("not a sub-device of gateway gw-1");
            // WHEN an application sends c-1 a command / THEN the gateway gets it on c-1's topic and its reply counts
            JsonNode reply = admin.post("/devices/c-1/commands", "{\"type\":\"invoke\",\"function\":\"reboot\",\"inputs\":{\"delay\":1}}")
                    .json();
            assertThat(reply.path("state").asText()).as(reply.toString()).isEqualTo("replied");
            assertThat(reply.path("output").asText()).isEqualTo("from c-1");
            // the child's shadow through the gateway
            gateway.publish("child/c-1/shadow/get", "{\"messageId\":\"g1\"}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gateway.received)
                    .anyMatch(r -> r.startsWith("child/c-1/shadow/get/accepted ") && r.contains("\"temp\":30.5")));
            // WHEN the gateway registers a new child / THEN it exists, bound, answered on its topic
            gateway.publish("child/new-1/register", "{\"messageId\":\"n1\",\"productId\":\"thermo\"}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gateway.received)
                    .anyMatch(r -> r.startsWith("child/new-1/register/reply ") && r.contains("\"success\":true")));
            assertThat(admin.get("/devices/gw-1/children").json().path("children").toString()).isEqualTo("[\"c-1\",\"c-2\",\"new-1\"]");
            // WHEN the gateway reports c-1 offline / THEN it is
            gateway.publish("child/c-1/offline", "{\"messageId\":\"o1\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> !admin.get("/devices/c-1/state").json().path("online").asBoolean());
            gateway.publish("child/c-1/online", "{\"messageId\":\"o2\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/devices/c-1/state").json().path("online").asBoolean());
        }
        // WHEN the gateway goes offline / THEN so does its child, and a command to it says so
        await().atMost(Duration.ofSeconds(10)).until(() -> !admin.get("/devices/c-1/state").json().path("online").asBoolean());
        String reboot = "{\"type\":\"invoke\",\"function\":\"reboot\",\"inputs\":{\"delay\":1}}";
        ApiClient.Answer offline = admin.post("/devices/c-1/commands", reboot);
        assertThat(offline.code()).isEqualTo("device_offline");
        assertThat(dist.shell("iot:device-children --no-format gw-1")).contains("c-1\tthermo").contains("new-1\tthermo");
        assertThat(dist.shell("iot:device-info c-1")).contains("Gateway:      gw-1");
        assertThat(dist.shell("iot:device-info gw-1")).contains("Sub-devices:  3");

        // a gateway on TCP frames: c-2 moves to gw-2
        assertThat(admin.delete("/devices/gw-1/children/c-2").status()).isEqualTo(200);
        assertThat(admin.delete("/devices/gw-1/children/c-2").status()).isEqualTo(404);
        dist.shell("iot:device-bind gw-2 c-2");
        try (FrameDevice gateway = FrameDevice.connect(tcpPort, "hub", "gw-2")) {
            gateway.publish("child/c-2/properties/report", "{\"messageId\":\"t1\",\"properties\":{\"humidity\":44}}");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    admin.get("/devices/c-2/properties").json().path("humidity").path("value").asInt() == 44);
            assertThat(admin.get("/devices/c-2/state").json().path("online").asBoolean()).isTrue();
        }
        assertThat(dist.shell("iot:device-unbind new-1")).contains("no longer a sub-device of gateway gw-1");
    }

    @Test
    public void aProductOfACategoryStartsFromItsModelAndBadOptionsAreRefused() throws Exception {
        // Verifies the options end to end: the catalogue over the shell and the API, a product created with its
        // category's model and NB-IoT options, and refusals that name the field and change nothing.
        // GIVEN / WHEN the catalogue and a product of the lock category
        assertThat(dist.shell("iot:category-list --no-format")).contains("lock\tSmart lock");
        JsonNode categories = admin.get("/product-categories").json();
        assertThat(categories.findValuesAsText("id")).contains("lighting", "lock", "other");
        assertThat(dist.shell("iot:product-create --category lock --communication nb-iot --power low-power --downlink psm"
                + " --carrier ChinaTelecom nb-lock")).contains("downlink psm (queues 16 commands for 86400 s), carrier ChinaTelecom");
        // THEN it has the lock model and its options, over the shell and the API
        assertThat(dist.shell("iot:product-info nb-lock")).contains("tamper").contains("Communication:        nb-iot");
        ApiClient.Answer product = admin.get("/products/nb-lock");
        assertThat(product.json().path("downlink").asText()).isEqualTo("psm");
        assertThat(product.json().path("carrier").asText()).isEqualTo("ChinaTelecom");
        // AND bad combinations are refused naming the field, leaving the product as it was
        assertThat(dist.shellAllowingErrors("iot:product-create --carrier X wifi-with-carrier")).contains("carrier:");
        String etag = product.headers().firstValue("ETag").orElseThrow();
        ApiClient.Answer refused = admin.put("/products/nb-lock/settings", "{\"power\":\"always-on\"}", Map.of("If-Match", etag));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).startsWith("downlink: psm");
        assertThat(admin.post("/products", "{\"id\":\"x\",\"communication\":\"6g\"}").json().path("message").asText())
                .contains("communication must be one of");
        ApiClient.Answer changed = admin.put("/products/nb-lock/settings", "{\"communication\":\"4g\",\"carrier\":\"\"}",
                Map.of("If-Match", etag));
        assertThat(changed.json().path("communication").asText()).isEqualTo("4g");
        assertThat(changed.json().has("carrier") && !changed.json().path("carrier").isNull()).isFalse();
    }

    @Test
    public void aDeviceRaisesAndClearsAnAlarmOnceEvenWhenAReportIsResent() throws Exception {
        // Verifies alarm recording over MQTT: raise, resend, clear; the list and acknowledgement over the API and
        // the shell; and a rule reading $events/device/alarm that sees exactly the two transitions.
        // GIVEN a lock product, a device and a rule on the alarm events
        dist.shell("iot:product-create --category lock alarm-lock");
        String secret = admin.post("/devices", "{\"id\":\"lock-1\",\"productId\":\"alarm-lock\"}").json().path("secret").asText();
        Path rule = dist.home.resolve("alarm-rule.json");
        Files.writeString(rule, """
                {"id": "alarms", "sql": "SELECT deviceId, payload.data.state AS state FROM \\"$events/device/alarm\\"",
                 "enabled": true, "actions": [{"type": "log", "options": {}}]}
                """, StandardCharsets.UTF_8);
        assertThat(dist.shell("iot:rule-create --file " + rule)).contains("alarms");
        Files.delete(rule);
        // WHEN the device reports tamper, resends that report, then reports it gone
        try (DeviceClient device = DeviceClient.connect(dist.mqttPort, "alarm-lock", "lock-1", secret)) {
            String raise = "{\"messageId\":\"a1\",\"timestamp\":1764756000000,\"properties\":{\"tamper\":true,\"battery\":80}}";
            device.publish("properties/report", raise);
            device.publish("properties/report", raise);
            device.publish("properties/report", "{\"messageId\":\"a2\",\"timestamp\":1764756060000,\"properties\":{\"tamper\":false}}");
        }
        // THEN there is one alarm, raised and cleared at the reports' times
        JsonNode alarms = admin.get("/alarms?deviceId=lock-1").json().path("items");
        assertThat(alarms).hasSize(1);
        JsonNode alarm = alarms.get(0);
        assertThat(alarm.path("property").asText()).isEqualTo("tamper");
        assertThat(alarm.path("active").asBoolean()).isFalse();
        assertThat(alarm.path("raisedAt").asText()).isEqualTo("2025-12-03T10:00:00Z");
        assertThat(admin.get("/alarms?deviceId=lock-1&active=true").json().path("items")).isEmpty();
        // AND it is acknowledged once, by the caller
        long id = alarm.path("id").asLong();
        assertThat(admin.post("/alarms/" + id + "/ack", null).json().path("acknowledgedBy").asText()).isEqualTo("karaf");
        assertThat(admin.post("/alarms/" + id + "/ack", null).code()).isEqualTo("conflict");
        assertThat(dist.shell("iot:alarm-list --no-format --device lock-1")).contains("lock-1\talarm-lock\ttamper\talarm\ttrue");
        assertThat(dist.shellAllowingErrors("iot:alarm-ack " + id)).contains("acknowledged already");
        // AND the rule saw the raise and the clear, not the resend
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(dist.shell("iot:rule-metrics alarms")).contains("matched 2, passed 2"));
    }
}
