package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 15, item 1, against the running distribution: a product created from a category of the catalogue with its
 * communication, power and downlink options (shell and Open API, bad combinations refused), and the alarms a real MQTT
 * device raises and clears: recorded once even when a report is resent, listed and acknowledged over the shell and the
 * API, and read by a rule from {@code $events/device/alarm}.
 */
public class ProductOptionsIT {
    private static Distribution dist;
    private static ApiClient admin;

    @BeforeClass
    public static void start() throws Exception {
        dist = Distribution.unpack("products", Map.of(), 0);
        dist.start();
        int port = dist.httpPort;
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                ApiClient.basic(port, "karaf", dist.password()).post("/auth/token", null).status() == 200);
        admin = ApiClient.bearer(port, ApiClient.basic(port, "karaf", dist.password()).post("/auth/token", null).json()
                .path("token").asText());
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.stop();
        }
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
                + " --carrier ChinaTelecom nb-lock")).contains("downlink psm, carrier ChinaTelecom");
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
