package io.thingport.bridge.onenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.bridge.onenet.fake.FakeOneNetApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StudioApiTest {
    private static final String ACCESS_KEY = "KuF3NT/jUBJ62LNBB/A8XZA9CqS3Cu79B/ABmfA1UCw=";
    private static final String OTHER_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private static final String PRODUCT = "C6z4Zk012B";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FakeOneNetApi fake;
    private final StudioApiSender sender = StudioApiSender.create(Duration.ofSeconds(2), Duration.ofSeconds(5));

    @BeforeEach
    void startFake() throws IOException {
        fake = FakeOneNetApi.start(PRODUCT, ACCESS_KEY, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private StudioApiRequests requests(URI base, String key) {
        return new StudioApiRequests(base, PRODUCT, key, Duration.ofHours(1), SignMethod.SHA256);
    }

    @Test
    void setPropertyRequestIsBuiltAsDocumentedHere() throws IOException {
        // Verifies the set-property request: POST path, authorization token for products/{pid}, JSON body fields.
        // GIVEN a base URL with a trailing slash
        StudioApiRequests requests = requests(URI.create("https://iot-api.heclouds.com/"), ACCESS_KEY);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("Power", "on");
        params.put("Level", 3);
        // WHEN the request is built
        ApiRequest request = requests.setDeviceProperty("test01", params, NOW);
        // THEN
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo(URI.create("https://iot-api.heclouds.com/thingmodel/set-device-property"));
        assertThat(request.headers().get("authorization"))
                .isEqualTo(StudioToken.create(ACCESS_KEY, "products/" + PRODUCT, NOW.getEpochSecond() + 3600, SignMethod.SHA256))
                .startsWith("version=2018-10-31&res=products%2FC6z4Zk012B&et=" + (NOW.getEpochSecond() + 3600) + "&method=sha256&sign=");
        assertThat(MAPPER.readTree(request.body())).isEqualTo(MAPPER.readTree(
                "{\"product_id\":\"C6z4Zk012B\",\"device_name\":\"test01\",\"params\":{\"Power\":\"on\",\"Level\":3}}"));
        assertThat(request.toString()).doesNotContain(request.headers().get("authorization"));
    }

    @Test
    void callServiceRequestCarriesTheIdentifier() throws IOException {
        // Verifies the call-service request path and body, and that blank names are refused naming the field.
        StudioApiRequests requests = requests(URI.create("https://iot-api.heclouds.com"), ACCESS_KEY);
        ApiRequest request = requests.callService("test01", "reboot", Map.of("delay", 5), NOW);
        assertThat(request.uri().getPath()).isEqualTo("/thingmodel/call-service");
        assertThat(MAPPER.readTree(request.body())).isEqualTo(MAPPER.readTree(
                "{\"product_id\":\"C6z4Zk012B\",\"device_name\":\"test01\",\"identifier\":\"reboot\",\"params\":{\"delay\":5}}"));
        assertThatThrownBy(() -> requests.callService("test01", " ", Map.of(), NOW))
                .isInstanceOf(ThingportException.class).hasMessageContaining("'identifier'");
        assertThatThrownBy(() -> requests.setDeviceProperty("", Map.of(), NOW))
                .isInstanceOf(ThingportException.class).hasMessageContaining("'deviceName'");
    }

    @Test
    void responsesAreReadIntoSuccessOrFailure() {
        // Verifies that code 0 is success, code != 0 a failure naming code and msg, and a 2xx non-JSON answer MALFORMED.
        ApiResult ok = ApiResult.parse(200, "{\"code\":0,\"msg\":\"succ\",\"data\":{\"id\":\"1\"},\"request_id\":\"r-1\"}");
        assertThat(ok.success()).isTrue();
        assertThat(ok.data()).isEqualTo(Map.of("id", "1"));
        assertThat(ok.requestId()).contains("r-1");
        assertThat(ok.orThrow()).isSameAs(ok);
        ApiResult failed = ApiResult.parse(200, "{\"code\":10421,\"msg\":\"device not online\",\"request_id\":\"r-2\"}");
        assertThat(failed.success()).isFalse();
        assertThatThrownBy(failed::orThrow)
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEVICE_ERROR))
                .hasMessageContaining("code 10421: device not online");
        ApiResult gateway = ApiResult.parse(502, "<html>bad gateway</html>");
        assertThat(gateway.success()).isFalse();
        assertThat(gateway.describe()).isEqualTo("HTTP 502, code -1: HTTP 502");
        assertThatThrownBy(() -> ApiResult.parse(200, "<html/>"))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED));
    }

    @Test
    void theSenderCallsTheFakeSuccessfully() {
        // Verifies that a set-property and a call-service reach the fake, pass its token and body checks, and succeed.
        // GIVEN requests to the fake
        StudioApiRequests requests = requests(fake.baseUrl(), ACCESS_KEY);
        // WHEN sent
        ApiResult property = sender.send(requests.setDeviceProperty("test01", Map.of("Power", "on"), NOW));
        ApiResult service = sender.send(requests.callService("test01", "reboot", Map.of(), NOW));
        // THEN both succeed and the fake recorded them
        assertThat(property.success()).as(property.describe()).isTrue();
        assertThat(service.success()).as(service.describe()).isTrue();
        assertThat(fake.calls()).extracting(FakeOneNetApi.Call::path)
                .containsExactly("/thingmodel/set-device-property", "/thingmodel/call-service");
        JsonNode body = fake.calls().get(0).body();
        assertThat(body.path("params").path("Power").asText()).isEqualTo("on");
    }

    @Test
    void aTokenSignedWithAnotherKeyOrExpiredIsRejected() {
        // Verifies that the fake's token check refuses a foreign key and an expired token, and the sender reports the code.
        // GIVEN a request signed with another key, and one made two hours ago with a one-hour lifetime
        ApiRequest foreign = requests(fake.baseUrl(), OTHER_KEY).setDeviceProperty("test01", Map.of("Power", "on"), NOW);
        ApiRequest expired = requests(fake.baseUrl(), ACCESS_KEY).setDeviceProperty("test01", Map.of(), NOW.minusSeconds(7200));
        // WHEN sent THEN both fail with the auth code
        for (ApiRequest request : new ApiRequest[] {foreign, expired}) {
            ApiResult result = sender.send(request);
            assertThat(result.success()).isFalse();
            assertThat(result.code()).isEqualTo(FakeOneNetApi.CODE_AUTH_FAILED);
            assertThat(result.describe()).contains("auth failed");
        }
    }

    @Test
    void aNonZeroCodeIsAFailureNamingCodeAndMsg() {
        // Verifies that an answer with code != 0 is returned as a failure (not an exception) with code and msg.
        // GIVEN the fake answering the next call with an error
        fake.failNext(10421, "device not online");
        // WHEN a valid call is sent
        ApiResult result = sender.send(requests(fake.baseUrl(), ACCESS_KEY).callService("test01", "reboot", Map.of(), NOW));
        // THEN it is a failure naming both
        assertThat(result.success()).isFalse();
        assertThat(result.describe()).contains("code 10421: device not online");
    }

    @Test
    void anOversizedAnswerIsTooLarge() {
        // Verifies that an answer longer than the bound is refused as TOO_LARGE.
        StudioApiSender tiny = new StudioApiSender(HttpClient.newHttpClient(), Duration.ofSeconds(5), 10);
        ApiRequest request = requests(fake.baseUrl(), ACCESS_KEY).setDeviceProperty("test01", Map.of(), NOW);
        assertThatThrownBy(() -> tiny.send(request))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE))
                .hasMessageContaining("larger than 10 bytes");
    }

    @Test
    void aSilentServerIsATimeout() throws IOException {
        // Verifies that a server that accepts the connection but never answers gives TIMEOUT, not a hang.
        // GIVEN a listening socket nobody answers on
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            StudioApiSender quick = StudioApiSender.create(Duration.ofSeconds(2), Duration.ofMillis(300));
            ApiRequest request = requests(URI.create("http://127.0.0.1:" + silent.getLocalPort()), ACCESS_KEY)
                    .setDeviceProperty("test01", Map.of(), NOW);
            // WHEN sent THEN TIMEOUT naming the call, never the token
            assertThatThrownBy(() -> quick.send(request))
                    .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT))
                    .hasMessageContaining("did not answer POST /thingmodel/set-device-property")
                    .hasMessageNotContaining(request.headers().get("authorization"));
        }
    }

    @Test
    void aRefusedConnectionIsUnavailable() throws IOException {
        // Verifies that a closed port gives UNAVAILABLE with a clear message.
        // GIVEN a port that was free a moment ago and is closed now
        int port;
        try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        ApiRequest request = requests(URI.create("http://127.0.0.1:" + port), ACCESS_KEY).setDeviceProperty("test01", Map.of(), NOW);
        // WHEN sent THEN UNAVAILABLE
        assertThatThrownBy(() -> sender.send(request))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("cannot be reached");
    }
}
