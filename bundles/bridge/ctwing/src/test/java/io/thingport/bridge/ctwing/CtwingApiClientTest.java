package io.thingport.bridge.ctwing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.bridge.ctwing.fake.FakeCtwingApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP sender against the fake CTWing API gateway. */
class CtwingApiClientTest {
    private static final String APP_KEY = "demoAppKey01";
    private static final String APP_SECRET = "demoSecret-0123";
    private static final String MASTER_KEY = "b3f0c2d4e5a6478899aabbccddeeff00";
    private static final long PRODUCT = 15045240L;

    private FakeCtwingApi fake;

    @BeforeEach
    void startFake() throws IOException {
        fake = FakeCtwingApi.start(APP_KEY, APP_SECRET, MASTER_KEY, PRODUCT);
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private CtwingBridgeConfig config(String secret, String baseUrl) {
        Map<String, String> settings = new HashMap<>();
        settings.put("appKey", APP_KEY);
        settings.put("appSecret", secret);
        settings.put("masterKey", MASTER_KEY);
        settings.put("productId", Long.toString(PRODUCT));
        settings.put("apiBaseUrl", baseUrl);
        settings.put("operator", "admin");
        return CtwingBridgeConfig.parse(settings);
    }

    private CtwingApiClient client(String secret, Duration timeout, int maxResponseBytes) {
        return new CtwingApiClient(config(secret, fake.baseUrl().toString()),
                CtwingApiClient.defaultHttpClient(Duration.ofSeconds(2)), System::currentTimeMillis, timeout, maxResponseBytes);
    }

    private CtwingApiClient client() {
        return client(APP_SECRET, Duration.ofSeconds(5), CtwingApiClient.DEFAULT_MAX_RESPONSE_BYTES);
    }

    @Test
    void sendsAndQueriesACommand() {
        // Verifies a signed create call that the fake accepts (signature, MasterKey, body), the commandId it returns,
        // and the signed query of that command.
        // GIVEN a client with the right credentials
        CtwingApiClient client = client();
        // WHEN a command is sent and then queried
        CommandInfo sent = client.sendCommand("40edca19", CommandPayload.hex(new byte[] {0x00, 0x01}));
        CommandInfo queried = client.queryCommand("40edca19", sent.commandId());
        // THEN the fake accepted both and stored the command as sent
        assertThat(fake.calls()).extracting(FakeCtwingApi.Call::verdict).as(fake.toString()).containsExactly("ok", "ok");
        assertThat(sent.commandId()).matches("[0-9]+");
        assertThat(fake.commands().get(sent.commandId()))
                .isEqualTo(new FakeCtwingApi.Command(sent.commandId(), "40edca19", "admin", PRODUCT, "0001", 2, 7200, 1));
        assertThat(queried.commandId()).isEqualTo(sent.commandId());
        assertThat(queried.commandStatus()).isEqualTo("SENT");
        FakeCtwingApi.Call query = fake.calls().get(1);
        assertThat(query.method()).isEqualTo("GET");
        assertThat(query.query()).containsExactly(
                Map.entry("commandId", sent.commandId()), Map.entry("productId", "15045240"), Map.entry("deviceId", "40edca19"));
        assertThat(query.headers()).containsEntry("Version", "20190712225241");
        // AND a bare payload goes out as the config's default dataType (hex)
        CommandInfo third = client.sendCommand("40edca19", "AA01");
        assertThat(fake.commands().get(third.commandId()).payload()).isEqualTo("AA01");
        assertThat(fake.commands().get(third.commandId()).dataType()).isEqualTo(2);
    }

    @Test
    void wrongSecretIsRefused() {
        // Verifies that a call signed with a wrong secret is refused by the fake and surfaces as HTTP_STATUS 401 naming
        // the call and the platform's code, without the secret.
        // GIVEN a client with a wrong secret
        CtwingApiClient client = client("wrongSecret-999", Duration.ofSeconds(5), 4096);
        // WHEN / THEN
        assertThatThrownBy(() -> client.sendCommand("40edca19", CommandPayload.text("on")))
                .isInstanceOfSatisfying(CtwingApiException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CtwingApiException.Kind.HTTP_STATUS);
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.apiCode()).hasValue(FakeCtwingApi.BAD_SIGNATURE);
                    assertThat(e.getMessage())
                            .isEqualTo("CTWing create command answered HTTP 401, code 1010, msg 'signature does not match'")
                            .doesNotContain("wrongSecret");
                });
        assertThat(fake.calls()).extracting(FakeCtwingApi.Call::verdict).containsExactly("signature does not match");
    }

    @Test
    void nonZeroCodeIsAnApiError() {
        // Verifies that a 200 answer with code != 0 is API_ERROR naming code and msg.
        // GIVEN the fake refusing the next call
        fake.failNext(8003, "device offline too long");
        // WHEN / THEN
        assertThatThrownBy(() -> client().sendCommand("40edca19", CommandPayload.text("on")))
                .isInstanceOfSatisfying(CtwingApiException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CtwingApiException.Kind.API_ERROR);
                    assertThat(e.apiCode()).hasValue(8003);
                    assertThat(e.getMessage()).isEqualTo("CTWing create command refused: code 8003, msg 'device offline too long'");
                });
        // AND an unknown command in a query is one too
        assertThatThrownBy(() -> client().queryCommand("40edca19", "nope"))
                .isInstanceOfSatisfying(CtwingApiException.class, e -> assertThat(e.apiCode()).hasValue(FakeCtwingApi.UNKNOWN_COMMAND));
    }

    @Test
    void connectionRefusedIsAClearError() throws IOException {
        // Verifies that an unreachable gateway (a loopback port nobody listens on) is CONNECT_FAILED naming host:port.
        // GIVEN a free port, closed again
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        CtwingApiClient client = new CtwingApiClient(config(APP_SECRET, "http://127.0.0.1:" + port),
                CtwingApiClient.defaultHttpClient(Duration.ofSeconds(2)), System::currentTimeMillis, Duration.ofSeconds(5), 4096);
        // WHEN / THEN
        assertThatThrownBy(() -> client.sendCommand("40edca19", CommandPayload.text("on")))
                .isInstanceOfSatisfying(CtwingApiException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CtwingApiException.Kind.CONNECT_FAILED);
                    assertThat(e.getMessage()).startsWith("CTWing create command: could not connect to 127.0.0.1:" + port);
                });
    }

    @Test
    void oversizedAnswerIsRefused() {
        // Verifies that an answer over the client's bound is RESPONSE_TOO_LARGE, not read whole.
        // GIVEN a fake answering 64 KiB to a client bounded at 4 KiB
        fake.oversizeNext(64 * 1024);
        // WHEN / THEN
        assertThatThrownBy(() -> client(APP_SECRET, Duration.ofSeconds(5), 4096).sendCommand("d", CommandPayload.text("on")))
                .isInstanceOfSatisfying(CtwingApiException.class,
                        e -> assertThat(e.kind()).isEqualTo(CtwingApiException.Kind.RESPONSE_TOO_LARGE))
                .hasMessageContaining("exceeds 4096 bytes");
    }

    @Test
    void slowAnswerTimesOut() {
        // Verifies that a gateway that does not answer within the request timeout gives TIMEOUT.
        // GIVEN a fake holding the next call until released
        CountDownLatch release = new CountDownLatch(1);
        fake.holdNext(release);
        try {
            // WHEN / THEN
            assertThatThrownBy(() -> client(APP_SECRET, Duration.ofMillis(300), 4096).sendCommand("d", CommandPayload.text("on")))
                    .isInstanceOfSatisfying(CtwingApiException.class, e -> assertThat(e.kind()).isEqualTo(CtwingApiException.Kind.TIMEOUT))
                    .hasMessageContaining("within 300 ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void echoOffsetIsUsedWhenSigning() {
        // Verifies that /echo gives the gateway's clock offset and that signed calls use it: a fake 1 h ahead that
        // refuses timestamps more than 60 s off accepts the call only after synchronizeClock().
        // GIVEN a fake one hour ahead, strict on skew
        fake.clockOffsetMillis(3_600_000).maxSkewMillis(60_000);
        CtwingApiClient client = client();
        // WHEN a call goes out before synchronising, THEN it is refused as stale
        assertThatThrownBy(() -> client.sendCommand("d", CommandPayload.text("on")))
                .isInstanceOfSatisfying(CtwingApiException.class, e -> assertThat(e.apiCode()).hasValue(FakeCtwingApi.STALE_TIMESTAMP));
        // WHEN the clock is synchronised
        long offset = client.synchronizeClock();
        // THEN the offset is about one hour and the next call passes
        assertThat(offset).isBetween(3_600_000L - 5_000, 3_600_000L + 5_000);
        assertThat(client.clockOffsetMillis()).isEqualTo(offset);
        assertThat(client.sendCommand("d", CommandPayload.text("on")).commandId()).matches("[0-9]+");
        List<String> verdicts = fake.calls().stream().map(FakeCtwingApi.Call::verdict).toList();
        assertThat(verdicts).containsExactly("timestamp is too far from the gateway's clock", "ok", "ok");
    }
}
