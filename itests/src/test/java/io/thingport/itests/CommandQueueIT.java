package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 15, item 2, against the running distribution: commands for a sleepy (PSM) device that is offline are queued
 * (202 queued), bounded (409 when full), kept across a restart of the platform, delivered in order over MQTT when the
 * device next makes contact, and replied; a short time to live expires; an always-on product's offline device still
 * fails fast.
 */
public class CommandQueueIT {
    private static Distribution dist;
    private static ApiClient admin;
    private static int tcpPort;

    @BeforeClass
    public static void start() throws Exception {
        dist = Distribution.unpack("queue", Map.of(), 1);
        tcpPort = dist.spare[0];
        dist.start();
        login();
        dist.shell("iot:network-create frames tcp-server host=127.0.0.1 port=" + tcpPort);
        dist.shell("iot:gateway-create frames-gw official frames");
    }

    private static void login() {
        int port = dist.httpPort;
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() ->
                ApiClient.basic(port, "karaf", dist.password()).post("/auth/token", null).status() == 200);
        admin = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> ApiClient.bearer(port,
                ApiClient.basic(port, "karaf", dist.password()).post("/auth/token", null).json().path("token").asText()),
                a -> a != null);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.stop();
        }
    }

    private static String device(String id, String product) throws Exception {
        return admin.post("/devices", "{\"id\":\"" + id + "\",\"productId\":\"" + product + "\"}").json().path("secret").asText();
    }

    private static ApiClient.Answer write(String deviceId, boolean power) throws Exception {
        return admin.post("/devices/" + deviceId + "/commands", "{\"type\":\"write\",\"values\":{\"power\":" + power + "}}");
    }

    @Test
    public void queuedCommandsSurviveARestartAndReachTheDeviceInOrderWhenItMakesContact() throws Exception {
        // Verifies the queue end to end: 202 queued, overflow refused, always-on still fails fast, a restart keeps the
        // queue, the device gets the commands in order when it connects and publishes, its replies make them replied.
        // GIVEN a PSM product queueing 2 commands, an always-on product, a device of each, both offline
        assertThat(admin.post("/products", "{\"id\":\"meter\",\"category\":\"switch\",\"communication\":\"nb-iot\","
                + "\"power\":\"low-power\",\"downlink\":\"psm\",\"queueMaxLength\":2,\"queueTtlSeconds\":3600}").status()).isEqualTo(201);
        assertThat(admin.post("/products", "{\"id\":\"plug\",\"category\":\"switch\"}").status()).isEqualTo(201);
        String secret = device("meter-1", "meter");
        device("plug-1", "plug");
        // WHEN two commands are sent to the sleeping meter, then a third
        ApiClient.Answer first = write("meter-1", true);
        ApiClient.Answer second = write("meter-1", false);
        ApiClient.Answer third = write("meter-1", true);
        // THEN the two are queued, the third refused
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(first.json().path("state").asText()).isEqualTo("queued");
        assertThat(second.status()).isEqualTo(202);
        assertThat(third.status()).as(third.body()).isEqualTo(409);
        assertThat(third.json().path("message").asText()).contains("is full");
        String c1 = first.json().path("commandId").asText();
        String c2 = second.json().path("commandId").asText();
        // AND the always-on device still fails fast
        assertThat(write("plug-1", true).code()).isEqualTo("device_offline");
        assertThat(dist.shell("iot:device-queue --no-format meter-1")).contains(c1 + "\tproperties/write\tqueued");
        // WHEN the platform restarts
        dist.stop();
        dist.start();
        login();
        assertThat(admin.get("/commands/" + c1).json().path("state").asText()).isEqualTo("queued");
        // AND the meter connects, subscribes and publishes a report
        List<String> written = new CopyOnWriteArrayList<>();
        try (DeviceClient meter = DeviceClient.connect(dist.mqttPort, "meter", "meter-1", secret)) {
            meter.subscribeAll((suffix, payload) -> {
                if (suffix.equals("properties/write")) {
                    String id = payload.replaceAll(".*\"messageId\":\"([^\"]+)\".*", "$1");
                    written.add(id);
                    meter.reply("properties/write/reply", "{\"messageId\":\"" + id + "\",\"success\":true,\"properties\":"
                            + payload.replaceAll(".*\"properties\":(\\{[^}]*\\}).*", "$1") + "}");
                }
            });
            meter.publish("properties/report", "{\"messageId\":\"r1\",\"properties\":{\"activePower\":1.5}}");
            // THEN it got both, in order, and both are replied
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(written).containsExactly(c1, c2));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode state = admin.get("/commands/" + c2).json();
                assertThat(state.path("state").asText()).as(state.toString()).isEqualTo("replied");
                assertThat(state.path("properties").path("power").asBoolean()).isFalse();
            });
        }
        assertThat(admin.get("/devices/meter-1/commands").json().findValuesAsText("state")).containsExactly("replied", "replied");
    }

    @Test
    public void aDeviceOnTcpFramesGetsItsQueueAtLoginAndMayAnswerAfterItSleptAgain() throws Exception {
        // Verifies the queue on a second transport: a sleepy device on TCP frames gets its waiting command right after
        // its login, goes back to sleep (disconnects) without answering, and its answer on the next connection makes the
        // command replied.
        // GIVEN a DRX product and a command queued for its offline device
        ApiClient.Answer product = admin.post("/products", "{\"id\":\"tag\",\"communication\":\"ble\",\"power\":\"low-power\","
                + "\"downlink\":\"drx\",\"thingModel\":{\"properties\":[{\"id\":\"power\",\"type\":\"bool\","
                + "\"access\":\"read-write\"}]}}");
        assertThat(product.status()).as(product.body()).isEqualTo(201);
        DeviceSecrets.put("tag-1", device("tag-1", "tag"));
        // (from the shell: its reply timeout may be longer than the API's 10 s, and counts from the delivery)
        String written = dist.shell("iot:device-write --timeout 120 tag-1 power=true");
        Matcher queued = Pattern.compile("queued \\(messageId (\\S+)\\)").matcher(written);
        assertThat(queued.find()).as(written).isTrue();
        String id = queued.group(1);
        // WHEN it logs in over TCP
        try (FrameDevice device = FrameDevice.connect(tcpPort, "tag", "tag-1")) {
            assertThat(device.loginReply).doesNotContain("error");
            // THEN the command is the next frame, and it is sent
            String frame = device.readLine();
            assertThat(frame).startsWith("/tag/tag-1/properties/write ").contains(id);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(admin.get("/commands/" + id).json().path("state").asText()).isEqualTo("sent"));
        // WHEN it answers on its next connection
        try (FrameDevice device = FrameDevice.connect(tcpPort, "tag", "tag-1")) {
            device.publish("properties/write/reply", "{\"messageId\":\"" + id + "\",\"success\":true,\"properties\":{\"power\":true}}");
            // THEN the command is replied
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(admin.get("/commands/" + id).json().path("state").asText()).isEqualTo("replied"));
        }
    }

    @Test
    public void aCommandPastItsTimeToLiveExpires() throws Exception {
        // Verifies that a queued command with a short time to live expires without the device making contact, visible
        // over the API, the shell and to a rule on $events/command/expired, and can no longer be cancelled.
        // GIVEN a PSM product whose commands wait 1 s, and its offline device
        assertThat(admin.post("/products", "{\"id\":\"short\",\"category\":\"switch\",\"communication\":\"nb-iot\","
                + "\"power\":\"low-power\",\"downlink\":\"psm\",\"queueTtlSeconds\":1}").status()).isEqualTo(201);
        device("short-1", "short");
        Path rule = dist.home.resolve("expired-rule.json");
        Files.writeString(rule, """
                {"id": "expired", "sql": "SELECT deviceId, payload.data.commandId AS id FROM \\"$events/command/expired\\"",
                 "enabled": true, "actions": [{"type": "log", "options": {}}]}
                """, StandardCharsets.UTF_8);
        assertThat(dist.shell("iot:rule-create --file " + rule)).contains("expired");
        Files.delete(rule);
        // WHEN a command is queued
        String id = write("short-1", true).json().path("commandId").asText();
        // THEN it expires (the sweep runs every few seconds)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.get("/commands/" + id).json().path("state").asText()).isEqualTo("expired"));
        assertThat(dist.shell("iot:device-queue --no-format short-1")).contains(id + "\tproperties/write\texpired");
        assertThat(admin.delete("/commands/" + id).code()).isEqualTo("conflict");
        // AND a rule on $events/command/expired saw it
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(dist.shell("iot:rule-metrics expired")).contains("matched 1, passed 1"));
    }
}
