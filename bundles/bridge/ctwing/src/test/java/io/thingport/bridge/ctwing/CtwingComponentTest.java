package io.thingport.bridge.ctwing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.NewDevice;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.bridge.ctwing.fake.FakeCtwingApi;
import io.thingport.bridge.ctwing.fake.FakeCtwingPushes;
import io.thingport.bridge.ctwing.fake.FakeCtwingPushes.Push;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code ctwing} component end to end: real HTTP pushes in, a fake platform listener, the fake CTWing API out. */
class CtwingComponentTest {
    private static final String APP_KEY = "app-key-1";
    private static final String APP_SECRET = "app-secret-0123456789";
    private static final String MASTER_KEY = "master-key-0123456789";
    private static final long CTWING_PRODUCT = 15045240L;
    private static final String P = Long.toString(CTWING_PRODUCT);
    private static final String PRODUCT = "meter";

    private final String token = PushToken.generate();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<NewDevice> created = new CopyOnWriteArrayList<>();
    private FakeCtwingApi api;
    private FakeListener listener;
    private NetworkComponent component;

    @BeforeEach
    void startFake() throws Exception {
        api = FakeCtwingApi.start(APP_KEY, APP_SECRET, MASTER_KEY, CTWING_PRODUCT);
    }

    @AfterEach
    void stop() {
        if (component != null) {
            component.close();
        }
        api.close();
    }

    private Map<String, String> keys() {
        Map<String, String> keys = new HashMap<>();
        keys.put("host", "127.0.0.1");
        keys.put("port", "0");
        keys.put("product", PRODUCT);
        keys.put("pushToken", token);
        keys.put("appKey", APP_KEY);
        keys.put("appSecret", APP_SECRET);
        keys.put("masterKey", MASTER_KEY);
        keys.put("productId", P);
        keys.put("apiBaseUrl", api.baseUrl().toString());
        keys.put("ioThreads", "1");
        return keys;
    }

    private void start(Map<String, String> extra, String... knownDevices) {
        Map<String, String> keys = keys();
        keys.putAll(extra);
        listener = new FakeListener(knownDevices);
        component = new CtwingProvider(deviceService()).start(new NetworkComponentConfig("cloud", CtwingProvider.TYPE, keys), listener);
    }

    /** A DeviceService whose createDevice records the device and makes the listener know it; nothing else is used. */
    private DeviceService deviceService() {
        return (DeviceService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DeviceService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createDevice")) {
                        NewDevice device = (NewDevice) args[0];
                        created.add(device);
                        listener.known.add(device.id());
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + component.boundAddress().getPort() + path);
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=UTF-8").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> push(Push push) throws Exception {
        return post("/ctwing/" + token, push.bytes());
    }

    private static Push report(String deviceId, long timestamp, int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        return FakeCtwingPushes.transparentDataReport(deviceId, P, timestamp, data);
    }

    // ------------------------------------------------------------------------------------------------ uplinks

    @Test
    void transparentDataReportReachesThePlatformAsBrokeredDevice() throws Exception {
        // Verifies that a transparent dataReport is answered 200 {"code":0} after the platform accepted the device as
        // brokered (device id = CTWing deviceId, product = the configured product) and received its raw bytes.
        // GIVEN a transparent component and a known device
        start(Map.of(), "40edca19");
        // WHEN CTWing pushes a data report
        HttpResponse<String> answer = push(report("40edca19", 1_650_554_828_842L, 0x01, 0x01, 0x56));
        // THEN it is answered 200 and the platform received the bytes with an empty topic
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.tree(answer.body())).isEqualTo(Json.tree("{\"code\":0}"));
        assertThat(listener.authentications).singleElement().satisfies(auth -> {
            assertThat(auth.brokered()).isTrue();
            assertThat(auth.clientId()).isEqualTo("40edca19");
            assertThat(auth.username()).isEqualTo(PRODUCT);
        });
        assertThat(listener.connected).containsExactly("40edca19");
        assertThat(listener.received).singleElement().satisfies(uplink -> {
            assertThat(uplink.topic()).isEmpty();
            assertThat(uplink.payload()).containsExactly(0x01, 0x01, 0x56);
        });
        assertThat(component.connectionCount()).isEqualTo(1);
    }

    @Test
    void samePushTwiceIsStoredOnce() throws Exception {
        // Verifies that a push CTWing sends again (also with its fields reordered) is answered 200 and stored once.
        // GIVEN a component and a known device
        start(Map.of(), "d1");
        Push push = report("d1", 1_000L, 0x0A);
        // WHEN the same push arrives three times
        assertThat(push(push).statusCode()).isEqualTo(200);
        assertThat(push(push).statusCode()).isEqualTo(200);
        assertThat(post("/ctwing/" + token, push.reversedBytes()).statusCode()).isEqualTo(200);
        // THEN it was stored once; another report is stored too
        assertThat(push(report("d1", 2_000L, 0x0A)).statusCode()).isEqualTo(200);
        assertThat(listener.received).extracting(u -> u.payload()[0]).containsExactly((byte) 0x0A, (byte) 0x0A);
    }

    @Test
    void batchIsDeliveredInOrder() throws Exception {
        // Verifies that the reports of a dataReportTupUnion reach the platform one by one, in order, each for its device.
        // GIVEN a component and two known devices
        start(Map.of(), "d1", "d2");
        // WHEN a batch of three reports arrives
        Push batch = FakeCtwingPushes.dataReportTupUnion(P, List.of(report("d1", 1L, 1), report("d2", 2L, 2), report("d1", 3L, 3)));
        // THEN it is answered 200 and the three reports were received in order
        assertThat(push(batch).statusCode()).isEqualTo(200);
        assertThat(listener.received).extracting(FakeListener.Uplink::deviceId).containsExactly("d1", "d2", "d1");
        assertThat(listener.received).extracting(u -> u.payload()[0]).containsExactly((byte) 1, (byte) 2, (byte) 3);
    }

    @Test
    void thingModelReportsBecomeOfficialFrames() throws Exception {
        // Verifies that in thing-model mode a dataReport becomes /{product}/{device}/properties/report with the dedup key
        // as messageId and CTWing's timestamp, and an eventReport /{product}/{device}/event/event_{serviceId} with the
        // event's content as data and its level beside it.
        // GIVEN a thing-model component and a known device
        start(Map.of("payload", "thing-model"), "d1");
        Push data = FakeCtwingPushes.thingModelDataReport("d1", P, 1_619_523_767_000L, "1", Map.of("temp", 21.5));
        Push event = FakeCtwingPushes.eventReport("d1", P, 1_619_523_767_263L, 1002, 2, Map.of("battery_state", 1));
        // WHEN CTWing pushes both
        assertThat(push(data).statusCode()).isEqualTo(200);
        assertThat(push(event).statusCode()).isEqualTo(200);
        // THEN the platform received two official frames
        assertThat(listener.received).hasSize(2);
        FakeListener.Uplink report = listener.received.get(0);
        String key = CtwingPushParser.parse(data.bytes()).dedupKey();
        assertThat(report.topic()).isEqualTo("/meter/d1/properties/report");
        assertThat(Json.tree(report.text())).isEqualTo(Json.tree(
                "{\"messageId\":\"" + key + "\",\"timestamp\":1619523767000,\"properties\":{\"temp\":21.5}}"));
        assertThat(key).hasSizeLessThanOrEqualTo(64);
        FakeListener.Uplink ev = listener.received.get(1);
        assertThat(ev.topic()).isEqualTo("/meter/d1/event/event_1002");
        JsonNode frame = Json.tree(ev.text());
        assertThat(frame.get("data")).isEqualTo(Json.tree("{\"battery_state\":1}"));
        assertThat(frame.get("level").asText()).isEqualTo("warning");
        assertThat(frame.get("timestamp").asLong()).isEqualTo(1_619_523_767_263L);
        assertThat(frame.get("messageId").asText()).isEqualTo(CtwingPushParser.parse(event.bytes()).dedupKey());
    }

    @Test
    void transparentModeIgnoresEvents() throws Exception {
        // Verifies that in transparent mode an eventReport is answered 200 and reaches nobody (not even a login).
        // GIVEN a transparent component
        start(Map.of(), "d1");
        // WHEN an event is pushed
        HttpResponse<String> answer = push(FakeCtwingPushes.eventReport("d1", P, 5L, 1002, 1, Map.of("x", 1)));
        // THEN 200, nothing received
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(listener.authentications).isEmpty();
        assertThat(listener.received).isEmpty();
    }

    @Test
    void onlineAndOfflineReportsOpenAndCloseTheConnection() throws Exception {
        // Verifies that an online report brings the device online on the platform and an offline report takes it offline.
        // GIVEN a component and a known device
        start(Map.of(), "d1");
        // WHEN CTWing reports it online
        assertThat(push(FakeCtwingPushes.onlineOffline("d1", P, 10L, true)).statusCode()).isEqualTo(200);
        // THEN it is connected, without an uplink
        assertThat(listener.connected).containsExactly("d1");
        assertThat(listener.received).isEmpty();
        assertThat(component.connectionCount()).isEqualTo(1);
        // WHEN CTWing reports it offline
        assertThat(push(FakeCtwingPushes.onlineOffline("d1", P, 11L, false)).statusCode()).isEqualTo(200);
        // THEN it is disconnected
        assertThat(listener.disconnected).containsExactly("d1");
        assertThat(component.connectionCount()).isZero();
    }

    @Test
    void pushesOfAnotherCtwingProductAreIgnored() throws Exception {
        // Verifies that a report of a CTWing product other than the configured productId, or naming none, is answered 200
        // and not delivered.
        // GIVEN a component for CTWing product 15045240
        start(Map.of(), "d1");
        // WHEN a report of product 999 arrives, and one naming no product
        HttpResponse<String> answer = push(FakeCtwingPushes.transparentDataReport("d1", "999", 1L, new byte[] {1}));
        HttpResponse<String> unnamed = push(FakeCtwingPushes.transparentDataReport("d1", "", 2L, new byte[] {1}));
        // THEN 200 and nothing delivered
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(unnamed.statusCode()).isEqualTo(200);
        assertThat(listener.authentications).isEmpty();
        assertThat(listener.received).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ refusals

    @Test
    void refusedRequestsGetTheirStatusAndStoreNothing() throws Exception {
        // Verifies that a wrong or missing token is 401, another path 404, another method 405, a malformed body 400,
        // a body over maxBody 413, and that none of them reaches the platform.
        // GIVEN a component with maxBody 1024
        start(Map.of("maxBody", "1024"), "d1");
        byte[] good = report("d1", 1L, 1).bytes();
        // WHEN / THEN
        assertThat(post("/ctwing/" + PushToken.generate(), good).statusCode()).isEqualTo(401);
        assertThat(post("/ctwing/", good).statusCode()).isEqualTo(401);
        assertThat(post("/ctwing", good).statusCode()).isEqualTo(401);
        assertThat(post("/other/" + token, good).statusCode()).isEqualTo(404);
        HttpRequest get = HttpRequest.newBuilder(url("/ctwing/" + token)).timeout(Duration.ofSeconds(10)).GET().build();
        assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(post("/ctwing/" + token, "{\"messageType\":".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        assertThat(post("/ctwing/" + token, "{\"messageType\":\"nope\"}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        byte[] large = new byte[4096];
        Arrays.fill(large, (byte) ' ');
        assertThat(post("/ctwing/" + token, large).statusCode()).isEqualTo(413);
        assertThat(listener.authentications).isEmpty();
        assertThat(listener.received).isEmpty();
    }

    @Test
    void backPressureIsAnswered503AndTheRetryStoresOnlyWhatWasMissing() throws Exception {
        // Verifies that when the platform refuses a report of a batch for back-pressure the push is answered 503, and that
        // the same push sent again stores only the reports not stored the first time.
        // GIVEN a component whose platform takes one uplink, then refuses one
        start(Map.of(), "d1");
        listener.busyAfter(1, 1);
        Push batch = FakeCtwingPushes.dataReportTupUnion(P, List.of(report("d1", 1L, 1), report("d1", 2L, 2), report("d1", 3L, 3)));
        // WHEN the batch is pushed
        HttpResponse<String> first = push(batch);
        // THEN 503, one report stored
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(listener.received).extracting(u -> u.payload()[0]).containsExactly((byte) 1);
        // WHEN CTWing pushes it again
        HttpResponse<String> second = push(batch);
        // THEN 200 and the other two were stored, the first not again
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(listener.received).extracting(u -> u.payload()[0]).containsExactly((byte) 1, (byte) 2, (byte) 3);
    }

    @Test
    void unknownDeviceWithoutAutoRegisterIsDroppedWith200() throws Exception {
        // Verifies that a report of a device the platform does not know is answered 200 (retrying cannot help), is not
        // delivered, and no device is created when autoRegister is off.
        // GIVEN a component without autoRegister and no known device
        start(Map.of());
        // WHEN a report of an unknown device arrives
        HttpResponse<String> answer = push(report("ghost", 1L, 1));
        // THEN 200, the platform was asked and refused, nothing delivered or created
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(listener.authentications).extracting(a -> a.clientId()).containsExactly("ghost");
        assertThat(listener.received).isEmpty();
        assertThat(created).isEmpty();
    }

    @Test
    void unknownDeviceWithAutoRegisterIsCreatedAndDelivered() throws Exception {
        // Verifies that with autoRegister an unknown device is created in the configured product and its report delivered.
        // GIVEN a component with autoRegister and no known device
        start(Map.of("autoRegister", "true"));
        // WHEN a report of a new device arrives
        HttpResponse<String> answer = push(report("new-1", 1L, 7));
        // THEN the device was created and the report delivered
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(created).containsExactly(new NewDevice("new-1", PRODUCT, null, null));
        assertThat(listener.received).extracting(FakeListener.Uplink::deviceId).containsExactly("new-1");
    }

    // ------------------------------------------------------------------------------------------------ commands

    @Test
    void writeCommandGoesToCtwingAndItsResultCompletesTheCommand() throws Exception {
        // Verifies that a properties/write downlink is sent signed to the CTWing API as hex, and that the commandResponse
        // pushes of that command report SUCCESSFUL as the command's success with our messageId (SENT changes nothing).
        // GIVEN an online device
        start(Map.of(), "d1");
        push(FakeCtwingPushes.onlineOffline("d1", P, 1L, true));
        // WHEN the platform sends it a write command
        EncodedMessage write = new EncodedMessage("", new byte[] {(byte) 0xAA, 0x01}, Map.of(EncodedMessage.MESSAGE_ID, "msg-1",
                EncodedMessage.MESSAGE_TYPE, "properties/write"));
        listener.connections.get("d1").send(write).toCompletableFuture().join();
        // THEN the fake API accepted a signed hex command for d1
        assertThat(api.calls()).extracting(FakeCtwingApi.Call::verdict).as(api.toString()).containsExactly("ok");
        FakeCtwingApi.Command command = api.commands().values().iterator().next();
        assertThat(command.deviceId()).isEqualTo("d1");
        assertThat(command.payload()).isEqualTo("AA01");
        assertThat(command.dataType()).isEqualTo(2);
        long taskId = Long.parseLong(command.commandId());
        // WHEN CTWing pushes SENT, then SUCCESSFUL
        assertThat(push(FakeCtwingPushes.commandResponse("d1", P, 2L, taskId, "SENT", "")).statusCode()).isEqualTo(200);
        assertThat(listener.outcomes).isEmpty();
        assertThat(push(FakeCtwingPushes.commandResponse("d1", P, 3L, taskId, "SUCCESSFUL", "")).statusCode()).isEqualTo(200);
        // THEN the command succeeded under our messageId
        assertThat(listener.outcomes).containsExactly(new FakeListener.Outcome("d1", "msg-1", true, "", ""));
    }

    @Test
    void aResultPushedBeforeCtwingsAnswerWasReadIsAppliedOnceTheCommandIsKnown() throws Exception {
        // Verifies that a SUCCESSFUL commandResponse that CTWing pushes before its answer to the command's creation reached
        // the component is kept and applied when the answer comes (CTWing may push at once).
        // GIVEN a write command whose creation CTWing answers only when released (its id will be the fake's first)
        start(Map.of(), "d1");
        push(FakeCtwingPushes.onlineOffline("d1", P, 1L, true));
        CountDownLatch release = new CountDownLatch(1);
        api.holdNext(release);
        CompletableFuture<Void> sent = listener.connections.get("d1").send(new EncodedMessage("", new byte[] {0x01},
                Map.of(EncodedMessage.MESSAGE_ID, "msg-9", EncodedMessage.MESSAGE_TYPE, "properties/write"))).toCompletableFuture();
        // WHEN the result comes first
        assertThat(push(FakeCtwingPushes.commandResponse("d1", P, 2L, 70000001L, "SUCCESSFUL", "")).statusCode()).isEqualTo(200);
        assertThat(listener.outcomes).isEmpty();
        // AND then CTWing's answer
        release.countDown();
        sent.get(10, TimeUnit.SECONDS);
        // THEN the command succeeded
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(listener.outcomes).containsExactly(new FakeListener.Outcome("d1", "msg-9", true, "", "")));
    }

    @Test
    void failedCommandResponseFailsTheCommand() throws Exception {
        // Verifies that a FAILED commandResponse fails the command with code FAILED and CTWing's result detail, once.
        // GIVEN a function/invoke sent to an online device
        start(Map.of(), "d1");
        push(FakeCtwingPushes.onlineOffline("d1", P, 1L, true));
        listener.connections.get("d1").send(new EncodedMessage("", new byte[] {0x05}, Map.of(EncodedMessage.MESSAGE_ID, "msg-2",
                EncodedMessage.MESSAGE_TYPE, "function/invoke"))).toCompletableFuture().join();
        long taskId = Long.parseLong(api.commands().keySet().iterator().next());
        // WHEN CTWing pushes FAILED (twice, as a retry)
        Push failed = FakeCtwingPushes.commandResponse("d1", P, 2L, taskId, "FAILED", "device timeout");
        assertThat(push(failed).statusCode()).isEqualTo(200);
        assertThat(push(failed).statusCode()).isEqualTo(200);
        // THEN the command failed once
        assertThat(listener.outcomes).containsExactly(new FakeListener.Outcome("d1", "msg-2", false, "FAILED", "device timeout"));
    }

    @Test
    void thingModelCommandIsSentAsText() throws Exception {
        // Verifies that in thing-model mode a command is sent as the official JSON text with dataType 1 (string).
        // GIVEN a thing-model component with an online device
        start(Map.of("payload", "thing-model"), "d1");
        push(FakeCtwingPushes.onlineOffline("d1", P, 1L, true));
        String json = "{\"messageId\":\"m3\",\"properties\":{\"led\":true}}";
        // WHEN a write is sent
        listener.connections.get("d1").send(EncodedMessage.of("/meter/d1/properties/write", json)
                .withHeader(EncodedMessage.MESSAGE_ID, "m3").withHeader(EncodedMessage.MESSAGE_TYPE, "properties/write"))
                .toCompletableFuture().join();
        // THEN CTWing received the JSON text as a string payload
        FakeCtwingApi.Command command = api.commands().values().iterator().next();
        assertThat(command.payload()).isEqualTo(json);
        assertThat(command.dataType()).isEqualTo(1);
    }

    @Test
    void nonCommandDownlinkIsNotSentToCtwing() throws Exception {
        // Verifies that an error downlink (the platform's reply to a rejected uplink) completes without calling CTWing.
        // GIVEN an online device
        start(Map.of(), "d1");
        push(FakeCtwingPushes.onlineOffline("d1", P, 1L, true));
        // WHEN the platform sends it an error
        listener.connections.get("d1").send(EncodedMessage.of("/meter/d1/error", "{\"messageId\":\"m\",\"code\":\"invalid_value\"}")
                .withHeader(EncodedMessage.MESSAGE_TYPE, "error")).toCompletableFuture().join();
        // THEN nothing was sent to CTWing
        assertThat(api.calls()).isEmpty();
    }

    @Test
    void commandRefusedByCtwingFailsTheSend() throws Exception {
        // Verifies that a command CTWing refuses fails the send with an error naming the API and CTWing's code.
        // GIVEN an online device and a CTWing that refuses the next call
        start(Map.of(), "d1");
        push(FakeCtwingPushes.onlineOffline("d1", P, 1L, true));
        api.failNext(4711, "device not found");
        // WHEN a write is sent
        EncodedMessage write = new EncodedMessage("", new byte[] {1}, Map.of(EncodedMessage.MESSAGE_ID, "m4",
                EncodedMessage.MESSAGE_TYPE, "properties/write"));
        // THEN it fails naming the refusal
        assertThatThrownBy(() -> listener.connections.get("d1").send(write).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(CtwingApiException.class).hasMessageContaining("4711");
    }

    @Test
    void eventIdsAreThingModelIdentifiers() {
        // Verifies how CTWing's serviceId becomes an event id: kept when it is an identifier, prefixed when numeric.
        // GIVEN / WHEN / THEN
        assertThat(CtwingComponent.eventId("1002")).isEqualTo("event_1002");
        assertThat(CtwingComponent.eventId("alarm")).isEqualTo("alarm");
        assertThat(CtwingComponent.eventId("")).isEqualTo("event");
        assertThat(CtwingComponent.eventId("a b")).isEqualTo("event");
    }

    @Test
    void closingTakesTheDevicesOfflineAndFreesThePort() throws Exception {
        // Verifies that closing the component disconnects its devices and refuses their downlinks afterwards.
        // GIVEN an online device
        start(Map.of(), "d1");
        push(FakeCtwingPushes.onlineOffline("d1", P, 1L, true));
        var connection = listener.connections.get("d1");
        // WHEN the component closes
        component.close();
        // THEN the device was disconnected and a downlink fails
        assertThat(listener.disconnected).containsExactly("d1");
        assertThat(connection.isOpen()).isFalse();
        assertThat(connection.send(new EncodedMessage("", new byte[] {1}, Map.of(EncodedMessage.MESSAGE_TYPE, "properties/write")))
                .toCompletableFuture()).isCompletedExceptionally();
        assertThat(api.calls()).isEmpty();
        component = null;
    }
}
