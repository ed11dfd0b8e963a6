package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.bridge.ctwing.fake.FakeCtwingApi;
import io.thingport.bridge.ctwing.fake.FakeCtwingPushes;
import io.thingport.bridge.onenet.fake.FakeOneNetApi;
import io.thingport.bridge.onenet.fake.FakeOneNetPushes;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 16 against the running distribution: the CTWing and OneNET bridges, installed at run time as features, each a
 * network component type whose push server a gateway binds to a product. A local fake of each cloud signs (and
 * encrypts) pushes exactly as documented and receives the signed API calls of commands. Nothing reaches the internet.
 */
public class CloudBridgeIT {
    private static final String CT_TOKEN = "dGhpbmdwb3J0LWN0d2luZy10ZXN0LXB1c2gtdG9rZW4";
    private static final long CT_PRODUCT = 15045240L;
    private static final String ON_TOKEN = "tok12345";
    private static final String ON_PRODUCT = "C6z4Zk012B";
    private static final String ON_KEY = "KuF3NT/jUBJ62LNBB/A8XZA9CqS3Cu79B/ABmfA1UCw=";

    private static Distribution dist;
    private static ApiClient admin;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeClass
    public static void start() throws Exception {
        dist = Distribution.unpack("bridges", Map.of(), 3);
        dist.start();
        admin = ApiClient.basic(dist.httpPort, "karaf", dist.password());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> admin.get("/auth/me").status() == 200);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.stop();
        }
    }

    private static HttpResponse<String> post(URI uri, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int uplinks(String deviceId) throws Exception {
        return admin.get("/devices/" + deviceId + "/logs?type=uplink&limit=100").json().path("items").size();
    }

    @Test
    public void ctwingPushesAndCommandsGoThroughTheBridgeWhichCanBeRemovedAndInstalledAgain() throws Exception {
        // Verifies the CTWing bridge end to end: installed as a feature, its component and an official gateway bound to a
        // product; a thing-model data report stored once even when CTWing pushes it again; a wrong push token and a
        // malformed push refused; a command sent to the (fake) CTWing API signed as documented, and its commandResponse
        // making it replied; offline reported; the feature removed and installed again while its gateway exists.
        // GIVEN the bridge installed, the fake CTWing API, a product, a device and the component with its gateway
        dist.shell("feature:install thingport-bridge-ctwing");
        try (FakeCtwingApi api = FakeCtwingApi.start("app-key", "app-secret", "master-key", CT_PRODUCT)) {
            dist.shell("iot:product-create --model examples/thing-models/thermostat.json ctmeter");
            dist.shell("iot:device-create ctmeter ct-1");
            int port = dist.spare[0];
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(dist.shell(
                    "iot:network-create ctw1 ctwing host=127.0.0.1 port=" + port + " product=ctmeter pushToken=" + CT_TOKEN
                    + " payload=thing-model appKey=app-key appSecret=app-secret masterKey=master-key productId=" + CT_PRODUCT
                    + " apiBaseUrl=" + api.baseUrl())).doesNotContain("rror"));
            dist.shell("iot:gateway-create ctw-gw official ctw1");
            URI push = URI.create("http://127.0.0.1:" + port + "/ctwing/" + CT_TOKEN);
            byte[] report = FakeCtwingPushes.thingModelDataReport("ct-1", String.valueOf(CT_PRODUCT), System.currentTimeMillis(), "1",
                    Map.of("temp", 21.5)).bytes();
            // WHEN CTWing pushes a report, twice
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> post(push, report).statusCode() == 200);
            assertThat(post(push, report).statusCode()).isEqualTo(200);
            // THEN it is stored once, and the device is online through the bridge
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/devices/ct-1/properties").json().path("temp")
                    .path("value").asDouble() == 21.5);
            assertThat(uplinks("ct-1")).isEqualTo(1);
            assertThat(admin.get("/devices/ct-1/state").json().path("online").asBoolean()).isTrue();
            // WHEN a batch of two reports comes / THEN both are stored, in order
            long t = System.currentTimeMillis();
            byte[] batch = FakeCtwingPushes.dataReportTupUnion(String.valueOf(CT_PRODUCT), List.of(
                    FakeCtwingPushes.thingModelDataReport("ct-1", String.valueOf(CT_PRODUCT), t + 1, "1", Map.of("temp", 24.0)),
                    FakeCtwingPushes.thingModelDataReport("ct-1", String.valueOf(CT_PRODUCT), t + 2, "1", Map.of("temp", 25.0))))
                    .bytes();
            assertThat(post(push, batch).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> uplinks("ct-1") == 3);
            assertThat(admin.get("/devices/ct-1/properties").json().path("temp").path("value").asDouble()).isEqualTo(25.0);
            // AND a wrong token and a malformed push are refused, nothing stored
            assertThat(post(URI.create("http://127.0.0.1:" + port + "/ctwing/wrong-token"), report).statusCode()).isEqualTo(401);
            assertThat(post(push, "{\"messageType\":".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
            assertThat(uplinks("ct-1")).isEqualTo(3);

            // WHEN a command is sent to the device
            ApiClient.Answer sent = admin.post("/devices/ct-1/commands", "{\"type\":\"write\",\"values\":{\"led\":true},\"async\":true}");
            assertThat(sent.status()).as(sent.body()).isEqualTo(202);
            String commandId = sent.json().path("commandId").asText();
            // THEN the fake CTWing API received it, signed as documented
            await().atMost(Duration.ofSeconds(20)).until(() -> !api.commands().isEmpty());
            FakeCtwingApi.Command command = api.commands().values().iterator().next();
            assertThat(command.deviceId()).isEqualTo("ct-1");
            assertThat(command.payload()).contains("\"led\":true");
            // WHEN CTWing reports it successful / THEN the command is replied
            assertThat(post(push, FakeCtwingPushes.commandResponse("ct-1", String.valueOf(CT_PRODUCT), System.currentTimeMillis(),
                    Long.parseLong(command.commandId()), "SUCCESSFUL", "").bytes()).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(admin.get("/commands/" + commandId).json().path("state").asText()).isEqualTo("replied"));

            // WHEN CTWing reports it offline / THEN it is
            assertThat(post(push, FakeCtwingPushes.onlineOffline("ct-1", String.valueOf(CT_PRODUCT), System.currentTimeMillis(),
                    false).bytes()).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !admin.get("/devices/ct-1/state").json().path("online").asBoolean());

            // WHEN the bridge is removed while its gateway exists / THEN the component waits and the port is closed
            dist.shell("feature:uninstall thingport-bridge-ctwing");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(dist.shell("iot:network-info ctw1"))
                    .contains("waiting"));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try {
                    post(push, report);
                    return false;
                } catch (ConnectException e) {
                    return true;
                }
            });
            // WHEN it is installed again / THEN pushes are taken again
            dist.shell("feature:install thingport-bridge-ctwing");
            byte[] later = FakeCtwingPushes.thingModelDataReport("ct-1", String.valueOf(CT_PRODUCT), System.currentTimeMillis() + 1,
                    "1", Map.of("temp", 30.0)).bytes();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> post(push, later).statusCode() == 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/devices/ct-1/properties").json().path("temp")
                    .path("value").asDouble() == 30.0);
        }
    }

    @Test
    public void oneNetStudioVerifiesItsUrlPushesPropertiesAndTakesCommands() throws Exception {
        // Verifies the OneNET bridge (Studio mode) end to end: the push URL verification, a signed property notification
        // stored once when pushed twice, a bad signature refused, a lifeCycle online, and a write command through the
        // (fake) OneNET Studio API with its token checked, replied from the API's answer.
        // GIVEN the bridge installed, the fake OneNET API, a product, a device and the component with its gateway
        dist.shell("feature:install thingport-bridge-onenet");
        try (FakeOneNetApi api = FakeOneNetApi.start(ON_PRODUCT, ON_KEY, Clock.systemUTC())) {
            dist.shell("iot:product-create --model examples/thing-models/thermostat.json onmeter");
            dist.shell("iot:device-create onmeter test01");
            int port = dist.spare[1];
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(dist.shell(
                    "iot:network-create on1 onenet host=127.0.0.1 port=" + port + " product=onmeter mode=studio token=" + ON_TOKEN
                    + " productId=" + ON_PRODUCT + " accessKey=" + ON_KEY + " apiBaseUrl=" + api.baseUrl())).doesNotContain("rror"));
            dist.shell("iot:gateway-create on-gw official on1");
            String base = "http://127.0.0.1:" + port + "/onenet";
            // WHEN OneNET verifies the push URL / THEN it gets its msg back
            String query = FakeOneNetPushes.urlVerificationQuery(ON_TOKEN, "hello-onenet", "abcdefgh");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                HttpResponse<String> verified = HTTP.send(HttpRequest.newBuilder(URI.create(base + "?" + query)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(verified.statusCode()).isEqualTo(200);
                assertThat(verified.body()).isEqualTo("hello-onenet");
            });
            // WHEN it pushes a property notification twice, and one with a bad signature
            long now = System.currentTimeMillis();
            String notify = "{\"productId\":\"" + ON_PRODUCT + "\",\"deviceName\":\"test01\",\"messageType\":\"notify\","
                    + "\"notifyType\":\"property\",\"data\":{\"id\":\"16315\",\"version\":\"1.0\",\"params\":{\"temp\":{\"value\":23.6,"
                    + "\"time\":" + now + "}}}}";
            byte[] push = FakeOneNetPushes.studioPlain(ON_TOKEN, "abcdefgh", "3799902", now, notify);
            assertThat(post(URI.create(base), push).statusCode()).isEqualTo(200);
            assertThat(post(URI.create(base), push).statusCode()).isEqualTo(200);
            byte[] forged = FakeOneNetPushes.studioPlain("another-token", "abcdefgh", "3799903", now, notify);
            assertThat(post(URI.create(base), forged).statusCode()).isBetween(400, 499);
            // THEN it is stored once
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/devices/test01/properties").json().path("temp")
                    .path("value").asDouble() == 23.6);
            assertThat(uplinks("test01")).isEqualTo(1);
            // WHEN a write command is sent
            ApiClient.Answer sent = admin.post("/devices/test01/commands", "{\"type\":\"write\",\"values\":{\"led\":true}}");
            // THEN OneNET Studio got a set-property call with a valid token, and its answer replied the command
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            assertThat(sent.json().path("state").asText()).isEqualTo("replied");
            assertThat(api.calls()).anySatisfy(call -> {
                assertThat(call.path()).contains("set-device-property");
                assertThat(call.body().path("params").path("led").asBoolean()).isTrue();
                assertThat(call.answeredCode()).isZero();
            });

            // GIVEN a second component for the legacy (multi-protocol / NB-IoT) push, encrypted
            int legacyPort = dist.spare[2];
            String aesKey = ON_KEY.substring(0, 43);
            dist.shell("iot:device-create onmeter 2016617");
            dist.shell("iot:network-create on2 onenet host=127.0.0.1 port=" + legacyPort + " product=onmeter mode=legacy token="
                    + ON_TOKEN + " aesKey=" + aesKey);
            dist.shell("iot:gateway-create on2-gw official on2");
            URI legacy = URI.create("http://127.0.0.1:" + legacyPort + "/onenet");
            // WHEN OneNET pushes a batch of two data points, encrypted
            String points = "[" + FakeOneNetPushes.legacyDataPoint(2016617, "temp", now + 1, "30.5") + ","
                    + FakeOneNetPushes.legacyDataPoint(2016617, "humidity", now + 1, "45") + "]";
            byte[] encrypted = FakeOneNetPushes.legacyEncrypted(ON_TOKEN, aesKey, "n0nce123", points);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> post(legacy, encrypted).statusCode() == 200);
            // THEN both are stored
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/devices/2016617/properties").json().path("humidity")
                    .path("value").asInt() == 45);
            assertThat(admin.get("/devices/2016617/properties").json().path("temp").path("value").asDouble()).isEqualTo(30.5);
            // WHEN a push is encrypted with another key / THEN it is refused and nothing stored
            String otherKey = "A" + aesKey.substring(1);
            byte[] wrongKey = FakeOneNetPushes.legacyEncrypted(ON_TOKEN, otherKey, "n0nce124",
                    FakeOneNetPushes.legacyDataPoint(2016617, "temp", now + 2, "31.5"));
            assertThat(post(legacy, wrongKey).statusCode()).isBetween(400, 499);
            assertThat(admin.get("/devices/2016617/properties").json().path("temp").path("value").asDouble()).isEqualTo(30.5);
        }
    }
}
