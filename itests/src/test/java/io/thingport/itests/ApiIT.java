package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.access.RequestSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The Open API of the running distribution over real HTTP, with a real MQTT device: every kind of caller (a person with
 * a password or a token, an application signing its requests, no one), each role, product-scoped grants, bad input,
 * commands both ways, live events with resume, and the access log that records it all.
 */
public class ApiIT {
    private static Distribution dist;
    private static ApiClient admin;
    private static String token;
    private static int port;
    private static String deviceSecret;

    @BeforeClass
    public static void start() throws Exception {
        dist = Distribution.unpack("api", Map.of(), 0);
        dist.setKey("etc/users.properties", "viewer1", "viewer-pass,viewer");
        dist.setKey("etc/users.properties", "operator1", "operator-pass,operator");
        dist.start();
        port = dist.httpPort;
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                ApiClient.basic(port, "karaf", dist.password()).post("/auth/token", null).status() == 200);
        JsonNode t = ApiClient.basic(port, "karaf", dist.password()).post("/auth/token", null).json();
        token = t.path("token").asText();
        assertThat(t.path("role").asText()).isEqualTo("admin");
        admin = ApiClient.bearer(port, token);
        String model = Files.readString(dist.home.resolve("examples/thing-models/thermostat.json"), StandardCharsets.UTF_8);
        assertThat(admin.post("/products", "{\"id\":\"thermo\",\"name\":\"Thermostat\",\"thingModel\":" + model + "}").status())
                .isEqualTo(201);
        assertThat(admin.post("/products", "{\"id\":\"other\",\"thingModel\":" + model + "}").status()).isEqualTo(201);
        ApiClient.Answer created = admin.post("/devices", "{\"id\":\"t-1\",\"productId\":\"thermo\"}");
        assertThat(created.status()).isEqualTo(201);
        deviceSecret = created.json().path("secret").asText();
        assertThat(admin.post("/devices", "{\"id\":\"o-1\",\"productId\":\"other\"}").status()).isEqualTo(201);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.stop();
        }
    }

    @Test
    public void anApplicationManagesDevicesReadsDataAndSendsCommands() throws Exception {
        // Verifies that what the shell does for a device is possible over REST, with the values a real device reports.
        ApiClient.Answer product = admin.get("/products/thermo");
        assertThat(product.status()).isEqualTo(200);
        assertThat(product.body()).doesNotContain("secret");
        String etag = product.headers().firstValue("ETag").orElseThrow();
        assertThat(admin.put("/products/thermo/settings", "{\"dynamicRegistration\":true}", Map.of("If-Match", "\"stale\""))
                .code()).isEqualTo("precondition_failed");
        assertThat(admin.put("/products/thermo/settings", "{\"dynamicRegistration\":true}", Map.of("If-Match", etag))
                .json().path("dynamicRegistration").asBoolean()).isTrue();
        assertThat(admin.get("/products/thermo/model").json().path("properties").size()).isEqualTo(7);

        try (DeviceClient device = DeviceClient.connect(dist.mqttPort, "thermo", "t-1", deviceSecret)) {
            device.subscribeAll((suffix, payload) -> {
                String id = payload.replaceAll(".*\"messageId\":\"([^\"]+)\".*", "$1");
                if (suffix.equals("function/invoke")) {
                    device.reply("function/invoke/reply", "{\"messageId\":\"" + id + "\",\"success\":true,\"output\":\"rebooting\"}");
                } else if (suffix.equals("properties/read")) {
                    device.reply("properties/read/reply", "{\"messageId\":\"" + id + "\",\"success\":true,\"properties\":{\"temp\":19.5}}");
                }
            });
            for (int i = 0; i < 5; i++) {
                device.publish("properties/report",
                        "{\"messageId\":\"r" + i + "\",\"properties\":{\"temp\":2" + i + ".5,\"humidity\":4" + i + "}}");
            }
            JsonNode props = admin.get("/devices/t-1/properties").json();
            assertThat(props.path("temp").path("value").asDouble()).isEqualTo(24.5);
            assertThat(admin.get("/devices/t-1/state").json().path("online").asBoolean()).isTrue();

            // history, newest first, two pages of 3 and 2 without a gap
            JsonNode first = admin.get("/devices/t-1/properties/temp/history?limit=3").json();
            assertThat(first.path("items")).hasSize(3);
            assertThat(first.path("items").get(0).path("value").asDouble()).isEqualTo(24.5);
            JsonNode second = admin.get("/devices/t-1/properties/temp/history?limit=3&cursor=" + first.path("next").asText()).json();
            assertThat(second.path("items")).hasSize(2);
            assertThat(second.path("items").get(1).path("value").asDouble()).isEqualTo(20.5);
            String from = Instant.now().minus(Duration.ofHours(1)).toString();
            String to = Instant.now().plus(Duration.ofMinutes(1)).toString();
            JsonNode series = admin.get("/devices/t-1/properties/humidity/series?from=" + from + "&to=" + to + "&interval=PT2H").json();
            assertThat(series).hasSize(1);
            assertThat(series.get(0).path("count").asLong()).isEqualTo(5);
            assertThat(series.get(0).path("max").asDouble()).isEqualTo(44.0);
            assertThat(admin.get("/devices/t-1/logs?type=uplink&limit=2").json().path("items")).hasSize(2);

            // a synchronous command answers with the device's reply
            JsonNode invoke = admin.post("/devices/t-1/commands",
                    "{\"type\":\"invoke\",\"function\":\"reboot\",\"inputs\":{\"delay\":5}}").json();
            assertThat(invoke.path("state").asText()).isEqualTo("replied");
            assertThat(invoke.path("output").asText()).isEqualTo("rebooting");
            // an asynchronous one answers 202 at once, and its state is polled
            ApiClient.Answer async = admin.post("/devices/t-1/commands", "{\"type\":\"read\",\"properties\":[\"temp\"],\"async\":true}");
            assertThat(async.status()).isEqualTo(202);
            String commandId = async.json().path("commandId").asText();
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
                JsonNode state = admin.get("/commands/" + commandId).json();
                assertThat(state.path("state").asText()).isEqualTo("replied");
                assertThat(state.path("properties").path("temp").asDouble()).isEqualTo(19.5);
            });
            // a command the thing model refuses is never sent
            ApiClient.Answer bad = admin.post("/devices/t-1/commands",
                    "{\"type\":\"invoke\",\"function\":\"reboot\",\"inputs\":{\"delay\":900}}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.code()).isEqualTo("invalid_value");
        }
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(admin.get("/devices/t-1/state").json().path("online").asBoolean()).isFalse());
        ApiClient.Answer offline = admin.post("/devices/t-1/commands",
                "{\"type\":\"invoke\",\"function\":\"reboot\",\"inputs\":{\"delay\":1}}");
        assertThat(offline.status()).isEqualTo(409);
        assertThat(offline.code()).isEqualTo("device_offline");
    }

    @Test
    public void badInputGetsOneErrorShapeNamingTheProblem() throws Exception {
        // Verifies that malformed, unknown, mistyped, out-of-range and oversized input is refused with the field named.
        ApiClient.Answer malformed = admin.post("/devices", "{\"id\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("malformed");
        ApiClient.Answer unknown = admin.post("/devices", "{\"id\":\"x-1\",\"productId\":\"thermo\",\"colour\":\"red\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("field").asText()).isEqualTo("colour");
        assertThat(unknown.json().path("message").asText()).contains("unknown field colour");
        ApiClient.Answer wrongType = admin.put("/products/thermo/settings", "{\"dynamicRegistration\":\"yes\"}", Map.of());
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().path("field").asText()).isEqualTo("dynamicRegistration");
        ApiClient.Answer limit = admin.get("/devices?limit=0");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().path("field").asText()).isEqualTo("limit");
        assertThat(admin.get("/devices?limit=5000").json().path("field").asText()).isEqualTo("limit");
        assertThat(admin.get("/devices?cursor=%25%25").json().path("field").asText()).isEqualTo("cursor");
        String huge = "{\"id\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        ApiClient.Answer tooLarge = admin.post("/devices", huge);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.code()).isEqualTo("too_large");
        ApiClient.Answer missing = admin.get("/devices/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).isEqualTo("device nope does not exist");
        assertThat(admin.get("/no/such/thing").status()).isEqualTo(404);
        assertThat(admin.delete("/devices").status()).isEqualTo(405);
        // nothing of a refused request was applied
        assertThat(admin.get("/devices/x-1").status()).isEqualTo(404);
    }

    @Test
    public void everyEndpointNeedsCredentialsAndTheRightRole() throws Exception {
        // Verifies 401 without or with wrong credentials (known and unknown paths alike), 403 for a role too low, and
        // that failed logins are rate-limited per client.
        ApiClient.Answer none = ApiClient.anonymous(port).get("/devices");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("unauthenticated");
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(ApiClient.anonymous(port).get("/no/such/thing").status()).isEqualTo(401);
        assertThat(ApiClient.anonymous(port).get("/openapi.json").status()).isEqualTo(401);
        assertThat(ApiClient.bearer(port, "tpt_forged").get("/devices").status()).isEqualTo(401);

        ApiClient viewer = ApiClient.basic(port, "viewer1", "viewer-pass");
        assertThat(viewer.get("/devices").status()).isEqualTo(200);
        ApiClient.Answer forbidden = viewer.post("/devices", "{\"id\":\"v-1\",\"productId\":\"thermo\"}");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().path("message").asText()).contains("needs the role operator").contains("viewer");
        assertThat(ApiClient.basic(port, "operator1", "operator-pass").post("/devices",
                "{\"id\":\"op-1\",\"productId\":\"thermo\"}").status()).isEqualTo(201);
        assertThat(ApiClient.basic(port, "operator1", "operator-pass").get("/networks").status()).isEqualTo(403);

        ApiClient mallory = ApiClient.basic(port, "mallory", "guess");
        for (int i = 0; i < 10; i++) {
            assertThat(mallory.get("/devices").status()).isEqualTo(401);
        }
        ApiClient.Answer limited = mallory.get("/devices");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("rate_limited");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();

        JsonNode doc = admin.get("/openapi.json").json();
        assertThat(doc.path("paths").has("/devices/{id}/properties/{property}/history")).isTrue();
        assertThat(doc.path("paths").has("/events")).isTrue();
    }

    @Test
    public void signedApplicationsAreScopedAndCannotReplay() throws Exception {
        // Verifies the application scheme: signatures over method, path, query and body; replayed nonces, stale
        // timestamps, tampered bodies, rotated and revoked secrets are refused; a product grant hides other products.
        JsonNode app = admin.post("/applications",
                "{\"name\":\"dashboard\",\"role\":\"operator\",\"products\":[\"thermo\"]}").json();
        String id = app.path("application").path("id").asText();
        String secret = app.path("secret").asText();
        assertThat(id).startsWith("app-");
        assertThat(admin.get("/applications/" + id).body()).doesNotContain(secret);
        ApiClient signed = ApiClient.application(port, id, secret);

        JsonNode devices = signed.get("/devices?limit=100").json();
        List<String> ids = new ArrayList<>();
        devices.path("items").forEach(d -> ids.add(d.path("id").asText()));
        assertThat(ids).contains("t-1").doesNotContain("o-1");
        assertThat(signed.get("/devices/o-1").status()).isEqualTo(404);
        assertThat(signed.get("/products/other").status()).isEqualTo(404);

        // a captured request cannot be sent again
        String ts = String.valueOf(System.currentTimeMillis());
        Map<String, String> once = signed.signature("GET", "/devices/t-1", null, ts, ApiClient.nonce());
        assertThat(signed.raw("GET", "/devices/t-1", null, once).status()).isEqualTo(200);
        ApiClient.Answer replay = signed.raw("GET", "/devices/t-1", null, once);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.json().path("message").asText()).contains("nonce");
        // nor one signed long ago
        String stale = String.valueOf(System.currentTimeMillis() - Duration.ofMinutes(10).toMillis());
        ApiClient.Answer old = signed.raw("GET", "/devices/t-1", null, signed.signature("GET", "/devices/t-1", null, stale,
                ApiClient.nonce()));
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.json().path("message").asText()).contains("timestamp");
        // nor one whose body or path was changed after signing
        Map<String, String> forBody = signed.signature("POST", "/devices", "{\"id\":\"s-1\",\"productId\":\"thermo\"}"
                .getBytes(StandardCharsets.UTF_8), String.valueOf(System.currentTimeMillis()), ApiClient.nonce());
        ApiClient.Answer tampered = signed.raw("POST", "/devices", "{\"id\":\"s-2\",\"productId\":\"thermo\"}", forBody);
        assertThat(tampered.status()).isEqualTo(401);
        assertThat(tampered.json().path("message").asText()).contains("signature");
        assertThat(admin.get("/devices/s-2").status()).isEqualTo(404);
        Map<String, String> forPath = signed.signature("GET", "/devices/t-1", null, String.valueOf(System.currentTimeMillis()),
                ApiClient.nonce());
        assertThat(signed.raw("GET", "/devices/o-1", null, forPath).status()).isEqualTo(401);
        // a signed write goes through
        assertThat(signed.post("/devices", "{\"id\":\"s-3\",\"productId\":\"thermo\"}").status()).isEqualTo(201);

        // rotation ends the old secret at once; revocation ends the application
        String rotated = admin.post("/applications/" + id + "/rotate", null).json().path("secret").asText();
        assertThat(signed.get("/devices/t-1").status()).isEqualTo(401);
        ApiClient renewed = ApiClient.application(port, id, rotated);
        assertThat(renewed.get("/devices/t-1").status()).isEqualTo(200);
        assertThat(admin.post("/applications/" + id + "/revoke", null).status()).isEqualTo(200);
        ApiClient.Answer revoked = renewed.get("/devices/t-1");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().path("message").asText()).contains("revoked");
        assertThat(revoked.body()).doesNotContain(rotated);

        // a viewer application reads but does not write
        JsonNode viewerApp = admin.post("/applications", "{\"name\":\"wall\",\"role\":\"viewer\"}").json();
        ApiClient wall = ApiClient.application(port, viewerApp.path("application").path("id").asText(),
                viewerApp.path("secret").asText());
        assertThat(wall.get("/devices/o-1").status()).isEqualTo(200);
        assertThat(wall.post("/devices", "{\"id\":\"w-1\",\"productId\":\"thermo\"}").status()).isEqualTo(403);
        assertThat(RequestSignature.NONCE.matcher(ApiClient.nonce()).matches()).isTrue();
    }

    @Test
    public void liveEventsResumeWithoutAGap() throws Exception {
        // Verifies that an SSE client receives a real device's reports live and, reconnecting with Last-Event-ID,
        // exactly what it missed, then live events again.
        String secret = admin.post("/devices", "{\"id\":\"e-1\",\"productId\":\"thermo\"}").json().path("secret").asText();
        try (DeviceClient device = DeviceClient.connect(dist.mqttPort, "thermo", "e-1", secret)) {
            String lastId;
            try (SseClient sse = SseClient.connect(port, token, "?device=e-1&type=property", null)) {
                assertThat(sse.status).isEqualTo(200);
                device.publish("properties/report", "{\"messageId\":\"e0\",\"properties\":{\"temp\":10.5}}");
                SseClient.Event e = sse.next(10);
                assertThat(e).isNotNull();
                assertThat(e.name()).isEqualTo("property");
                assertThat(ApiClient.JSON.readTree(e.data()).path("data").path("properties").path("temp").asDouble())
                        .isEqualTo(10.5);
                lastId = e.id();
            }
            device.publish("properties/report", "{\"messageId\":\"e1\",\"properties\":{\"temp\":11.5}}");
            device.publish("properties/report", "{\"messageId\":\"e2\",\"properties\":{\"temp\":12.5}}");
            try (SseClient sse = SseClient.connect(port, token, "?device=e-1&type=property", lastId)) {
                List<Double> temps = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    SseClient.Event e = sse.next(10);
                    assertThat(e).as("missed event " + i).isNotNull();
                    temps.add(ApiClient.JSON.readTree(e.data()).path("data").path("properties").path("temp").asDouble());
                }
                assertThat(temps).containsExactly(11.5, 12.5);
                device.publish("properties/report", "{\"messageId\":\"e3\",\"properties\":{\"temp\":13.5}}");
                SseClient.Event live = sse.next(10);
                assertThat(live).isNotNull();
                assertThat(live.data()).contains("13.5");
                assertThat(sse.next(1)).as("nothing twice").isNull();
            }
        }
        assertThat(SseClient.connect(port, token, "?type=bogus", null).status).isEqualTo(400);
    }

    @Test
    public void aWebSocketSubscriptionResumesWithoutAGap() throws Exception {
        // Verifies the WebSocket twin of the SSE stream: a subscription receives a real device's report, and after a
        // reconnection with lastEventId exactly what it missed, then live events.
        String secret = admin.post("/devices", "{\"id\":\"w-1\",\"productId\":\"thermo\"}").json().path("secret").asText();
        String sub = "{\"type\":\"sub\",\"id\":\"a\",\"device\":\"w-1\",\"types\":[\"property\"]";
        try (DeviceClient device = DeviceClient.connect(dist.mqttPort, "thermo", "w-1", secret)) {
            long lastId;
            try (WsClient ws = WsClient.connect(port, token)) {
                ws.send(sub + "}");
                assertThat(ws.next(10).path("type").asText()).isEqualTo("subscribed");
                device.publish("properties/report", "{\"messageId\":\"w0\",\"properties\":{\"temp\":30.5}}");
                JsonNode e = ws.next(10);
                assertThat(e.path("type").asText()).isEqualTo("event");
                assertThat(e.path("event").path("data").path("properties").path("temp").asDouble()).isEqualTo(30.5);
                lastId = e.path("event").path("id").asLong();
                ws.send("{\"type\":\"sub\",\"id\":\"b\",\"colour\":\"red\"}");
                JsonNode refused = ws.next(10);
                assertThat(refused.path("type").asText()).isEqualTo("error");
                assertThat(refused.path("message").asText()).contains("colour");
            }
            device.publish("properties/report", "{\"messageId\":\"w1\",\"properties\":{\"temp\":31.5}}");
            device.publish("properties/report", "{\"messageId\":\"w2\",\"properties\":{\"temp\":32.5}}");
            try (WsClient ws = WsClient.connect(port, token)) {
                ws.send(sub + ",\"lastEventId\":" + lastId + "}");
                assertThat(ws.next(10).path("type").asText()).isEqualTo("subscribed");
                List<Double> temps = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    JsonNode e = ws.next(10);
                    assertThat(e).as("missed event " + i).isNotNull();
                    temps.add(e.path("event").path("data").path("properties").path("temp").asDouble());
                }
                assertThat(temps).containsExactly(31.5, 32.5);
                device.publish("properties/report", "{\"messageId\":\"w3\",\"properties\":{\"temp\":33.5}}");
                assertThat(ws.next(10).path("event").path("data").path("properties").path("temp").asDouble()).isEqualTo(33.5);
                assertThat(ws.next(1)).as("nothing twice").isNull();
            }
        }
        // a handshake without credentials is refused before the upgrade
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/ws"), new WebSocket.Listener() { }).join())
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(401));
    }

    @Test
    public void peopleAreManagedOverTheApi() throws Exception {
        // Verifies that an admin creates a user, replaces the password (which ends the user's tokens) and deletes the
        // user, in the JAAS realm the shell's jaas:* commands manage, and that no answer shows a password.
        ApiClient.Answer created = admin.post("/users", "{\"name\":\"bob\",\"password\":\"bob-first-password\",\"role\":\"operator\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("role").asText()).isEqualTo("operator");
        assertThat(admin.get("/users").body()).contains("\"bob\"").doesNotContain("bob-first-password");
        String bobToken = ApiClient.basic(port, "bob", "bob-first-password").post("/auth/token", null).json().path("token").asText();
        assertThat(ApiClient.bearer(port, bobToken).get("/devices").status()).isEqualTo(200);

        assertThat(admin.put("/users/bob/password", "{\"password\":\"bob-second-password\"}", Map.of()).status()).isEqualTo(204);
        assertThat(ApiClient.bearer(port, bobToken).get("/devices").status()).isEqualTo(401);
        assertThat(ApiClient.basic(port, "bob", "bob-second-password").get("/devices").status()).isEqualTo(200);
        assertThat(admin.put("/users/bob/password", "{\"password\":\"short\"}", Map.of()).json().path("field").asText())
                .isEqualTo("password");

        assertThat(admin.delete("/users/bob").status()).isEqualTo(204);
        assertThat(ApiClient.basic(port, "bob", "bob-second-password").get("/devices").status()).isEqualTo(401);
        assertThat(admin.get("/users/bob").status()).isEqualTo(404);
        assertThat(ApiClient.basic(port, "operator1", "operator-pass").get("/users").status()).isEqualTo(403);
    }

    @Test
    public void theAccessLogRecordsWhoDidWhat() throws Exception {
        // Verifies that API calls (refused ones too) and shell commands are recorded and can be queried.
        ApiClient.basic(port, "viewer1", "viewer-pass").post("/devices", "{\"id\":\"v-9\",\"productId\":\"thermo\"}");
        dist.shell("iot:device-list --no-format");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            JsonNode log = admin.get("/access-log?principal=viewer1&limit=50").json();
            assertThat(log.toString()).contains("POST /api/v1/devices").contains("forbidden");
            JsonNode shell = admin.get("/access-log?channel=shell&limit=50").json();
            assertThat(shell.toString()).contains("iot:device-list");
        });
        assertThat(ApiClient.basic(port, "viewer1", "viewer-pass").get("/access-log").status()).isEqualTo(403);
        assertThat(admin.get("/system-log?limit=10").status()).isEqualTo(200);
        assertThat(dist.shell("iot:access-log --principal viewer1")).contains("/api/v1/devices");
    }
}
