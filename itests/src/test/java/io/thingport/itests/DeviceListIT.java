package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 15 items 6 and 7 on the running distribution: the device list with its columns, filters, pages and counts, tags
 * and the MAC address over the Open API and the shell, a MAC reported by a real MQTT device, and live debugging with
 * {@code iot:device-log --follow --hex}.
 */
public class DeviceListIT {
    private static final String MODEL = "{\"properties\":[{\"id\":\"temp\",\"type\":\"float\"},"
            + "{\"id\":\"mac\",\"type\":{\"type\":\"string\",\"maxLength\":17}}]}";

    private static Distribution dist;
    private static ApiClient admin;
    private static String secret;

    @BeforeClass
    public static void start() throws Exception {
        dist = Distribution.unpack("devlist", Map.of(), 0);
        dist.start();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                ApiClient.basic(dist.httpPort, "karaf", dist.password()).post("/auth/token", null).status() == 200);
        String token = ApiClient.basic(dist.httpPort, "karaf", dist.password()).post("/auth/token", null).json().path("token").asText();
        admin = ApiClient.bearer(dist.httpPort, token);
        assertThat(admin.post("/products", "{\"id\":\"lamp\",\"thingModel\":" + MODEL + "}").status()).isEqualTo(201);
        ApiClient.Answer l1 = admin.post("/devices", "{\"id\":\"l-1\",\"productId\":\"lamp\"}");
        assertThat(l1.status()).isEqualTo(201);
        secret = l1.json().path("secret").asText();
        assertThat(admin.post("/devices", "{\"id\":\"l-2\",\"productId\":\"lamp\"}").status()).isEqualTo(201);
        assertThat(admin.post("/devices", "{\"id\":\"l-3\",\"productId\":\"lamp\",\"mac\":\"00-11-22-33-44-55\"}").status())
                .isEqualTo(201);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.stop();
        }
    }

    @Test
    public void theListFiltersPagesAndCountsDevicesWithTheirTagsAndMac() throws Exception {
        // Verifies item 7 end to end: tags set with If-Match (a stale tag refused), a bad MAC and a bad status refused, a
        // MAC reported by the device, the filters by status and tag, pages by cursor, counts per status, and the shell.
        // GIVEN tags on l-1 and l-3, l-2 disabled, l-1 connected and reporting its MAC
        ApiClient.Answer tags = admin.get("/devices/l-1/tags");
        String etag = tags.headers().firstValue("ETag").orElseThrow();
        assertThat(admin.put("/devices/l-1/tags", "{\"room\":\"1\",\"floor\":\"2\"}", Map.of("If-Match", etag)).status())
                .isEqualTo(200);
        assertThat(admin.put("/devices/l-1/tags", "{\"room\":\"9\"}", Map.of("If-Match", etag)).code())
                .isEqualTo("precondition_failed");
        assertThat(admin.put("/devices/l-3/tags", "{\"room\":\"1\"}", Map.of()).status()).isEqualTo(200);
        assertThat(admin.put("/devices/l-3/tags", "{\"1bad\":\"x\"}", Map.of()).status()).isEqualTo(400);
        assertThat(admin.put("/devices/l-3/mac", "{\"mac\":\"nope\"}", Map.of()).status()).isEqualTo(400);
        assertThat(admin.post("/devices/l-2/disable", null).status()).isEqualTo(200);
        try (DeviceClient device = DeviceClient.connect(dist.mqttPort, "lamp", "l-1", secret)) {
            device.publish("properties/report", "{\"messageId\":\"r1\",\"properties\":{\"temp\":21.5,\"mac\":\"AA-BB-CC-00-00-01\"}}");
            // WHEN / THEN
            await().atMost(Duration.ofSeconds(20)).until(() -> "aa:bb:cc:00:00:01".equals(
                    admin.get("/devices/l-1").json().path("mac").asText(null)));
            await().atMost(Duration.ofSeconds(20)).until(() -> ids(admin.get("/devices?status=online").json()).equals(List.of("l-1")));
            JsonNode l1 = admin.get("/devices?product=lamp&tag=room=1&tag=floor=2").json().path("items");
            assertThat(l1).hasSize(1);
            assertThat(l1.get(0).path("status").asText()).isEqualTo("online");
            assertThat(l1.get(0).path("state").path("onlineCount").asLong()).isPositive(); // the other test may connect first
            assertThat(l1.get(0).path("state").path("firstOnline").isTextual()).isTrue();
            assertThat(ids(admin.get("/devices?tag=room=1").json())).containsExactly("l-1", "l-3");
            assertThat(ids(admin.get("/devices?status=never-connected").json())).containsExactly("l-3");
            assertThat(ids(admin.get("/devices?status=disabled").json())).containsExactly("l-2");
            assertThat(admin.get("/devices?status=asleep").json().path("field").asText()).isEqualTo("status");
            assertThat(admin.get("/devices?cursor=bogus").status()).isEqualTo(400);
            List<String> paged = new ArrayList<>();
            String next = "";
            do {
                JsonNode page = admin.get("/devices?product=lamp&limit=1" + (next.isEmpty() ? "" : "&cursor=" + next)).json();
                paged.addAll(ids(page));
                next = page.path("next").asText("");
            } while (!next.isEmpty());
            assertThat(paged).containsExactly("l-1", "l-2", "l-3");
            JsonNode counts = admin.get("/devices/counts?product=lamp").json();
            assertThat(counts.path("total").asLong()).isEqualTo(3);
            assertThat(counts.path("byStatus").path("online").asLong()).isEqualTo(1);
            assertThat(counts.path("byStatus").path("disabled").asLong()).isEqualTo(1);
            assertThat(counts.path("byStatus").path("never-connected").asLong()).isEqualTo(1);
            String listed = dist.shell("iot:device-list --product lamp --tag room=1");
            assertThat(listed).contains("aa:bb:cc:00:00:01", "00:11:22:33:44:55", "floor=2,room=1",
                    "2 devices: 1 online, 0 offline, 1 never-connected, 0 disabled");
            assertThat(dist.shell("iot:device-tag l-2 zone=north")).contains("Device l-2 tags: zone=north");
            assertThat(dist.shell("iot:device-untag l-2 zone")).contains("Device l-2 tags: -");
            assertThat(dist.shellAllowingErrors("iot:device-list --status sleeping")).contains("is not a device status");
        }
    }

    @Test
    public void followPrintsNewEntriesInHexUntilItsDurationEnds() throws Exception {
        // Verifies item 6 live: iot:device-log --follow --hex prints the device's new uplinks as they come, their payload
        // in hex and their decoded JSON, and ends after --duration; the history shows the same entries with --hex.
        // GIVEN a connected device
        try (DeviceClient device = DeviceClient.connect(dist.mqttPort, "lamp", "l-1", secret)) {
            CompletableFuture<String> follow = CompletableFuture.supplyAsync(() -> {
                try {
                    return dist.shell("iot:device-log --follow --duration 6 --hex --type uplink --limit 1 l-1");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // WHEN it reports while the console follows
            AtomicInteger sent = new AtomicInteger();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                device.publish("properties/report", "{\"messageId\":\"live-" + sent.incrementAndGet() + "\",\"properties\":{\"temp\":1}}");
                return follow.isDone();
            });
            // THEN
            String out = follow.join();
            assertThat(out).contains("Raw (hex)", "Decoded");
            assertThat(out).containsPattern("live-\\d+\\t?.*7b 22 6d 65 73 73 61 67 65 49 64 22");
            assertThat(out).contains("\"temp\"");
            assertThat(dist.shell("iot:device-log --hex --limit 2 --type uplink l-1")).contains("Raw (hex)", "7b 22");
        }
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("items").forEach(d -> out.add(d.path("id").asText()));
        return out;
    }
}
