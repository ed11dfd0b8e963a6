package io.thingport.bridge.onenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceService;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import io.thingport.bridge.onenet.fake.FakeOneNetApi;
import io.thingport.bridge.onenet.fake.FakeOneNetPushes;
import io.thingport.bridge.support.PushRejected;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OneNetComponentTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "pushToken42";
    /** 32 bytes as a 43-character legacy aesKey. */
    private static final String LEGACY_AES_KEY = Base64.getEncoder().withoutPadding().encodeToString(bytes(32, 7));
    private static final String STUDIO_AES_KEY = "abcdefghijklmnop";
    private static final String ONENET_PRODUCT = "C6z4Zk012B";
    private static final String ACCESS_KEY = Base64.getEncoder().encodeToString(bytes(32, 3));
    private static final long AT = 1_466_133_706_841L;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FakePlatform platform = new FakePlatform();
    private NetworkComponent component;
    private FakeOneNetApi api;

    @AfterEach
    void tearDown() {
        if (component != null) {
            component.close();
        }
        if (api != null) {
            api.close();
        }
    }

    // ---- URL verification ---------------------------------------------------------------------------------------

    @Test
    void urlVerificationAnswersExactlyTheMsg() throws Exception {
        // Verifies that a correctly signed URL verification is answered 200 text/plain with exactly msg.
        // GIVEN a legacy component
        legacy(Map.of());
        // WHEN OneNET verifies the push URL
        HttpResponse<String> answer = get(FakeOneNetPushes.urlVerificationQuery(TOKEN, "hello-onenet", "nonce123"));
        // THEN the answer is the msg
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("hello-onenet");
        assertThat(answer.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    }

    @Test
    void urlVerificationWithABadSignatureIsRefused() throws Exception {
        // Verifies that a URL verification signed with another token is answered 401 and not echoed.
        // GIVEN a Studio component
        studio(Map.of());
        // WHEN the signature was made with another token
        HttpResponse<String> answer = get(FakeOneNetPushes.urlVerificationQuery("otherToken", "hello-onenet", "nonce123"));
        // THEN it is refused
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).doesNotContain("hello-onenet").contains("signature");
    }

    @Test
    void urlVerificationKeepsPlusInTheSignature() throws Exception {
        // Verifies that a signature with '+' sent unencoded in the query is read as '+' (not as a space).
        // GIVEN a nonce whose signature contains '+'
        legacy(Map.of());
        String nonce = null;
        String signature = null;
        for (int i = 0; signature == null || !signature.contains("+"); i++) {
            nonce = "n" + i;
            signature = FakeOneNetPushes.signature(TOKEN, nonce, "abc");
        }
        // WHEN OneNET sends it with the '+' as it is
        HttpResponse<String> answer = get("msg=abc&nonce=" + nonce + "&signature=" + signature);
        // THEN it is verified
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("abc");
    }

    // ---- legacy pushes ------------------------------------------------------------------------------------------

    @Test
    void legacyDataPointBecomesAPropertyReport() throws Exception {
        // Verifies that a legacy data point is stored as an official properties/report of a brokered device.
        // GIVEN a legacy component
        legacy(Map.of());
        // WHEN OneNET pushes a data point
        HttpResponse<String> answer = post(FakeOneNetPushes.legacyPlain(TOKEN, "abcdefgh",
                FakeOneNetPushes.legacyDataPoint(2016617, "temperature", AT, "42")));
        // THEN the platform stored the official frame and the push is answered 200
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(platform.logins).singleElement().satisfies(l -> {
            assertThat(l.brokered()).isTrue();
            assertThat(l.clientId()).isEqualTo("2016617");
            assertThat(l.transport()).isEqualTo(Transport.HTTP);
        });
        assertThat(platform.stored).singleElement().satisfies(s -> {
            assertThat(s.deviceId()).isEqualTo("2016617");
            assertThat(s.topic()).isEqualTo("/p1/2016617/properties/report");
            JsonNode frame = MAPPER.readTree(s.payload());
            assertThat(frame.path("messageId").textValue()).hasSize(64);
            assertThat(frame.path("timestamp").longValue()).isEqualTo(AT);
            assertThat(frame.path("properties").toString()).isEqualTo("{\"temperature\":42}");
        });
    }

    @Test
    void legacyBatchIsHandledInOrder() throws Exception {
        // Verifies that a batched legacy push stores each data point and takes a device offline on its status message.
        // GIVEN a legacy component
        legacy(Map.of());
        // WHEN OneNET pushes two data points of two devices and the first device going offline
        HttpResponse<String> answer = post(FakeOneNetPushes.legacyBatched(TOKEN, "abcdefgh", List.of(
                FakeOneNetPushes.legacyDataPoint(1, "temp", AT, "20.5"),
                FakeOneNetPushes.legacyDataPoint(2, "mode", AT + 1, "\"eco\""),
                FakeOneNetPushes.legacyStatus(1, false, AT + 2, 7))));
        // THEN both frames are stored and device 1 is offline
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(platform.stored).extracting(FakePlatform.Stored::topic)
                .containsExactly("/p1/1/properties/report", "/p1/2/properties/report");
        assertThat(platform.stored.get(1).payload()).contains("\"properties\":{\"mode\":\"eco\"}");
        assertThat(platform.disconnects).containsExactly("OneNET reported the device offline");
        assertThat(component.connectionCount()).isEqualTo(1);
    }

    @Test
    void legacyOnlineStatusOpensTheConnection() throws Exception {
        // Verifies that a legacy online status puts the device online without storing a message.
        // GIVEN a legacy component
        legacy(Map.of());
        // WHEN OneNET reports device 5 online
        HttpResponse<String> answer = post(FakeOneNetPushes.legacyPlain(TOKEN, "abcdefgh", FakeOneNetPushes.legacyStatus(5, true, AT, 10)));
        // THEN it has a connection
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(platform.connections).singleElement().extracting(TransportConnection::isOpen).isEqualTo(true);
        assertThat(platform.stored).isEmpty();
    }

    @Test
    void legacyEncryptedPushIsDecrypted() throws Exception {
        // Verifies that an encrypted legacy push is decrypted with the aesKey and stored.
        // GIVEN a legacy component with an aesKey
        legacy(Map.of("aesKey", LEGACY_AES_KEY));
        // WHEN OneNET pushes an encrypted data point
        HttpResponse<String> answer = post(FakeOneNetPushes.legacyEncrypted(TOKEN, LEGACY_AES_KEY, "abcdefgh",
                FakeOneNetPushes.legacyDataPoint(77, "humidity", AT, "55")));
        // THEN it is stored
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(platform.stored).singleElement().satisfies(s -> {
            assertThat(s.topic()).isEqualTo("/p1/77/properties/report");
            assertThat(s.payload()).contains("\"properties\":{\"humidity\":55}");
        });
    }

    @Test
    void pushEncryptedWithAnotherKeyIsRefused() throws Exception {
        // Verifies that a push encrypted with another aesKey is answered with PushRejected's status and stores nothing.
        // GIVEN a legacy component with an aesKey
        legacy(Map.of("aesKey", LEGACY_AES_KEY));
        String otherKey = Base64.getEncoder().withoutPadding().encodeToString(bytes(32, 99));
        // WHEN the push is encrypted with another key
        HttpResponse<String> answer = post(FakeOneNetPushes.legacyEncrypted(TOKEN, otherKey, "abcdefgh",
                FakeOneNetPushes.legacyDataPoint(77, "humidity", AT, "55")));
        // THEN it is refused as a decryption failure
        assertThat(answer.statusCode()).isEqualTo(new PushRejected(PushRejected.Reason.DECRYPT, "x").httpStatus()).isEqualTo(401);
        assertThat(platform.logins).isEmpty();
        assertThat(platform.stored).isEmpty();
    }

    @Test
    void pushWithABadSignatureIsRefused() throws Exception {
        // Verifies that a push signed with another token is answered 401 and nothing of it reaches the platform.
        // GIVEN a legacy component
        legacy(Map.of());
        // WHEN the push is signed with another token
        HttpResponse<String> answer = post(FakeOneNetPushes.legacyPlain("otherToken", "abcdefgh",
                FakeOneNetPushes.legacyDataPoint(1, "temp", AT, "1")));
        // THEN it is refused
        assertThat(answer.statusCode()).isEqualTo(new PushRejected(PushRejected.Reason.SIGNATURE, "x").httpStatus()).isEqualTo(401);
        assertThat(answer.body()).contains("msg_signature");
        assertThat(platform.logins).isEmpty();
    }

    @Test
    void malformedJsonIsRefused() throws Exception {
        // Verifies that a body that is not JSON is answered 400.
        // GIVEN a legacy component
        legacy(Map.of());
        // WHEN the body is broken JSON
        HttpResponse<String> answer = post("{\"msg\":{\"type\":1,".getBytes(StandardCharsets.UTF_8));
        // THEN it is refused as malformed
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains(ErrorCode.MALFORMED.wireName());
        assertThat(platform.logins).isEmpty();
    }

    @Test
    void oversizedPushIsRefused() throws Exception {
        // Verifies that a body larger than maxBody is answered 413.
        // GIVEN a component accepting 1 KiB bodies
        legacy(Map.of("maxBody", "1024"));
        // WHEN OneNET pushes 4 KiB
        String big = "\"" + "x".repeat(4096) + "\"";
        HttpResponse<String> answer = post(FakeOneNetPushes.legacyPlain(TOKEN, "abcdefgh",
                FakeOneNetPushes.legacyDataPoint(1, "text", AT, big)));
        // THEN it is refused as too large
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(platform.stored).isEmpty();
    }

    @Test
    void thePushSentTwiceIsStoredOnce() throws Exception {
        // Verifies that a retried push (same messages, another nonce) is answered 200 and not stored again.
        // GIVEN a legacy component that stored a push
        legacy(Map.of());
        String msg = FakeOneNetPushes.legacyDataPoint(3, "temp", AT, "21");
        assertThat(post(FakeOneNetPushes.legacyPlain(TOKEN, "nonce001", msg)).statusCode()).isEqualTo(200);
        // WHEN OneNET sends it again, signed anew
        HttpResponse<String> again = post(FakeOneNetPushes.legacyPlain(TOKEN, "nonce002", msg));
        // THEN it is answered 200 and stored once
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(platform.stored).hasSize(1);
    }

    @Test
    void backPressureIsAnswered503AndTheRetryStoresOnlyTheRest() throws Exception {
        // Verifies that UNAVAILABLE stops the push with 503 and the retried push stores only what was not stored.
        // GIVEN a legacy component and a platform at its bound for the second message
        legacy(Map.of());
        platform.unavailableAt = 1;
        byte[] push = FakeOneNetPushes.legacyBatched(TOKEN, "abcdefgh", List.of(
                FakeOneNetPushes.legacyDataPoint(1, "a", AT, "1"),
                FakeOneNetPushes.legacyDataPoint(1, "b", AT, "2"),
                FakeOneNetPushes.legacyDataPoint(1, "c", AT, "3")));
        // WHEN OneNET pushes three data points
        HttpResponse<String> first = post(push);
        // THEN the push is answered 503 after the first one was stored
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(platform.stored).extracting(OneNetComponentTest::property).containsExactly("a");
        // WHEN OneNET retries it
        HttpResponse<String> retry = post(push);
        // THEN the second and third are stored, the first not again
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(platform.stored).extracting(OneNetComponentTest::property).containsExactly("a", "b", "c");
    }

    @Test
    void refusedMessageIsAnswered200AndTheRestStored() throws Exception {
        // Verifies that a message the platform refuses (invalid value) does not stop the push nor make OneNET retry it.
        // GIVEN a legacy component and a platform that refuses the value 999
        legacy(Map.of());
        platform.invalid = "999";
        // WHEN a batch holds the refused value between two good ones
        HttpResponse<String> answer = post(FakeOneNetPushes.legacyBatched(TOKEN, "abcdefgh", List.of(
                FakeOneNetPushes.legacyDataPoint(1, "a", AT, "1"),
                FakeOneNetPushes.legacyDataPoint(1, "b", AT, "999"),
                FakeOneNetPushes.legacyDataPoint(1, "c", AT, "3"))));
        // THEN the push is answered 200 and the good ones are stored
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(platform.stored).extracting(OneNetComponentTest::property).containsExactly("a", "c");
    }

    @Test
    void unknownDeviceWithoutAutoRegisterIsDropped() throws Exception {
        // Verifies that a message of a device the platform does not know is dropped, answered 200, and no device is made.
        // GIVEN a legacy component without autoRegister and an unknown device 9
        platform.unknown.add("9");
        start(Map.of("mode", "legacy"), platform.deviceService());
        // WHEN OneNET pushes for device 9
        HttpResponse<String> answer = post(FakeOneNetPushes.legacyPlain(TOKEN, "abcdefgh",
                FakeOneNetPushes.legacyDataPoint(9, "t", AT, "1")));
        // THEN it is answered 200 and nothing is stored or created
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(platform.stored).isEmpty();
        assertThat(platform.created).isEmpty();
        assertThat(platform.logins).hasSize(1);
    }

    @Test
    void unknownDeviceWithAutoRegisterIsCreatedThenStored() throws Exception {
        // Verifies that with autoRegister an unknown device is created in the configured product and its message stored.
        // GIVEN a legacy component with autoRegister and an unknown device 9
        platform.unknown.add("9");
        start(Map.of("mode", "legacy", "autoRegister", "true"), platform.deviceService());
        // WHEN OneNET pushes for device 9
        HttpResponse<String> answer = post(FakeOneNetPushes.legacyPlain(TOKEN, "abcdefgh",
                FakeOneNetPushes.legacyDataPoint(9, "t", AT, "1")));
        // THEN the device was created, then the message stored
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(platform.created).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo("9");
            assertThat(d.productId()).isEqualTo("p1");
            assertThat(d.secret()).isNull();
        });
        assertThat(platform.stored).singleElement().extracting(FakePlatform.Stored::topic).isEqualTo("/p1/9/properties/report");
    }

    @Test
    void otherPathsAreNotFound() throws Exception {
        // Verifies that only the configured path is served.
        // GIVEN a component on /onenet
        legacy(Map.of());
        // WHEN a push goes to another path
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + "/other"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        // THEN it is answered 404
        assertThat(answer.statusCode()).isEqualTo(404);
    }

    // ---- Studio pushes ------------------------------------------------------------------------------------------

    @Test
    void studioPropertyNotificationBecomesAPropertyReport() throws Exception {
        // Verifies that a Studio property notification is stored as one report with every param and the newest time.
        // GIVEN a Studio component
        studio(Map.of());
        // WHEN OneNET Studio pushes two properties
        HttpResponse<String> answer = post(FakeOneNetPushes.studioPlain(TOKEN, "abcdefgh", "3799902", AT, "{\"productId\":\""
                + ONENET_PRODUCT + "\",\"deviceName\":\"test01\",\"messageType\":\"notify\",\"notifyType\":\"property\","
                + "\"data\":{\"id\":\"16\",\"version\":\"1.0\",\"params\":{\"temp\":{\"value\":23.6,\"time\":1631522002499},"
                + "\"power\":{\"value\":\"on\",\"time\":1631522002600}}}}"));
        // THEN the report holds both, with the newest time
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(platform.stored).singleElement().satisfies(s -> {
            assertThat(s.deviceId()).isEqualTo("test01");
            assertThat(s.topic()).isEqualTo("/p1/test01/properties/report");
            JsonNode frame = MAPPER.readTree(s.payload());
            assertThat(frame.path("timestamp").longValue()).isEqualTo(1631522002600L);
            assertThat(frame.path("properties").toString()).isEqualTo("{\"temp\":23.6,\"power\":\"on\"}");
            assertThat(frame.path("messageId").textValue()).hasSize(64);
        });
    }

    @Test
    void studioSecureEventBecomesAnEvent() throws Exception {
        // Verifies that an encrypted Studio event push is stored as the official event frame with the event's value.
        // GIVEN a Studio component in secure mode
        studio(Map.of("aesKey", STUDIO_AES_KEY));
        // WHEN OneNET Studio pushes an encrypted event
        HttpResponse<String> answer = post(FakeOneNetPushes.studioSecure(TOKEN, STUDIO_AES_KEY, "abcdefgh", "77", AT, "{\"productId\":\""
                + ONENET_PRODUCT + "\",\"deviceName\":\"test01\",\"messageType\":\"notify\",\"notifyType\":\"event\","
                + "\"data\":{\"id\":\"17\",\"params\":{\"overheat\":{\"eventType\":\"warn\",\"time\":1631522003000,"
                + "\"value\":{\"temp\":81}}}}}"));
        // THEN the event is stored
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(platform.stored).singleElement().satisfies(s -> {
            assertThat(s.topic()).isEqualTo("/p1/test01/event/overheat");
            JsonNode frame = MAPPER.readTree(s.payload());
            assertThat(frame.path("timestamp").longValue()).isEqualTo(1631522003000L);
            assertThat(frame.path("data").toString()).isEqualTo("{\"temp\":81}");
        });
    }

    @Test
    void studioLifeCycleOpensAndClosesTheConnection() throws Exception {
        // Verifies that Studio lifeCycle online opens the device's connection and offline closes it.
        // GIVEN a Studio component
        studio(Map.of());
        // WHEN the device goes online
        assertThat(post(lifeCycle("test01", true, "1")).statusCode()).isEqualTo(200);
        // THEN it is connected
        assertThat(platform.connections).singleElement().extracting(TransportConnection::isOpen).isEqualTo(true);
        assertThat(component.connectionCount()).isEqualTo(1);
        // WHEN it goes offline
        assertThat(post(lifeCycle("test01", false, "2")).statusCode()).isEqualTo(200);
        // THEN it is disconnected
        assertThat(platform.disconnects).containsExactly("OneNET Studio reported the device offline");
        assertThat(component.connectionCount()).isZero();
    }

    @Test
    void studioPushOfAnotherProductIsDropped() throws Exception {
        // Verifies that with productId set, a Studio message of another OneNET product, or naming none, is not delivered
        // (answered 200).
        // GIVEN a Studio component for product C6z4Zk012B
        studio(Map.of("productId", ONENET_PRODUCT, "accessKey", ACCESS_KEY));
        // WHEN a push names another product, and one names none
        HttpResponse<String> answer = post(FakeOneNetPushes.studioPlain(TOKEN, "abcdefgh", "9", AT, "{\"productId\":\"OtherProd1\","
                + "\"deviceName\":\"test01\",\"messageType\":\"lifeCycle\",\"data\":{\"status\":\"online\",\"time\":1}}"));
        HttpResponse<String> unnamed = post(FakeOneNetPushes.studioPlain(TOKEN, "abcdefgh", "10", AT, "{"
                + "\"deviceName\":\"test01\",\"messageType\":\"lifeCycle\",\"data\":{\"status\":\"online\",\"time\":2}}"));
        // THEN nothing reaches the platform
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(unnamed.statusCode()).isEqualTo(200);
        assertThat(platform.logins).isEmpty();
    }

    @Test
    void studioPushWithABadSignatureIsRefused() throws Exception {
        // Verifies that a Studio push signed with another token is answered 401.
        // GIVEN a Studio component
        studio(Map.of());
        // WHEN the push is signed with another token
        HttpResponse<String> answer = post(FakeOneNetPushes.studioPlain("otherToken", "abcdefgh", "1", AT,
                "{\"deviceName\":\"test01\",\"messageType\":\"lifeCycle\",\"data\":{\"status\":\"online\",\"time\":1}}"));
        // THEN it is refused
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(platform.logins).isEmpty();
    }

    // ---- downlinks ----------------------------------------------------------------------------------------------

    @Test
    void writeGoesToTheApiAndReportsSuccess() throws Exception {
        // Verifies that a properties/write is sent as set-device-property and reported as a success with our messageId.
        // GIVEN an online Studio device and the fake API
        TransportConnection device = onlineStudioDevice("test01");
        // WHEN the platform writes a property
        device.send(downlink("properties/write", "m-1", "{\"messageId\":\"m-1\",\"properties\":{\"power\":\"on\",\"level\":3}}"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        // THEN the API got it and the outcome names our messageId
        assertThat(api.calls()).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("/thingmodel/set-device-property");
            assertThat(c.answeredCode()).isZero();
            assertThat(c.body().path("device_name").textValue()).isEqualTo("test01");
            assertThat(c.body().path("params").toString()).isEqualTo("{\"power\":\"on\",\"level\":3}");
        });
        assertThat(platform.outcomes).containsExactly(new FakePlatform.Outcome("test01", "m-1", true, null, null));
    }

    @Test
    void invokeGoesToTheApiAndTheDeviceReplyIsReported() throws Exception {
        // Verifies that a function/invoke is sent as call-service, and a later Studio reply with OneNET's id reports our id.
        // GIVEN an online Studio device and the fake API
        TransportConnection device = onlineStudioDevice("test01");
        // WHEN the platform invokes a function
        device.send(downlink("function/invoke", "m-2", "{\"messageId\":\"m-2\",\"functionId\":\"reboot\",\"inputs\":"
                + "[{\"name\":\"delay\",\"value\":5},{\"name\":\"mode\",\"value\":\"soft\"}]}")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        // THEN the API got the call and the success was reported
        assertThat(api.calls()).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("/thingmodel/call-service");
            assertThat(c.body().path("identifier").textValue()).isEqualTo("reboot");
            assertThat(c.body().path("params").toString()).isEqualTo("{\"delay\":5,\"mode\":\"soft\"}");
        });
        assertThat(platform.outcomes).containsExactly(new FakePlatform.Outcome("test01", "m-2", true, null, null));
        // WHEN the device's reply comes as a push naming OneNET's id of the call (the fake's first data.id is "1")
        HttpResponse<String> answer = post(FakeOneNetPushes.studioPlain(TOKEN, "abcdefgh", "r1", AT, "{\"productId\":\"" + ONENET_PRODUCT
                + "\",\"deviceName\":\"test01\",\"messageType\":\"reply\",\"data\":{\"id\":\"1\",\"code\":500,\"msg\":\"busy\"}}"));
        // AND a reply with an id never sent
        post(FakeOneNetPushes.studioPlain(TOKEN, "abcdefgh", "r2", AT, "{\"productId\":\"" + ONENET_PRODUCT
                + "\",\"deviceName\":\"test01\",\"messageType\":\"reply\",\"data\":{\"id\":\"999\",\"code\":200}}"));
        // THEN the first is reported with our messageId, the unknown one ignored
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(platform.outcomes).containsExactly(new FakePlatform.Outcome("test01", "m-2", true, null, null),
                new FakePlatform.Outcome("test01", "m-2", false, "500", "busy"));
    }

    @Test
    void apiErrorCodeIsAFailureOutcome() throws Exception {
        // Verifies that a OneNET code != 0 completes the send and reports the command failed with the code and msg.
        // GIVEN an online Studio device and an API that refuses the next call
        TransportConnection device = onlineStudioDevice("test01");
        api.failNext(12001, "device not online");
        // WHEN the platform writes a property
        device.send(downlink("properties/write", "m-3", "{\"messageId\":\"m-3\",\"properties\":{\"power\":\"off\"}}"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        // THEN the outcome is a failure naming OneNET's code and msg
        assertThat(platform.outcomes).singleElement().satisfies(o -> {
            assertThat(o.messageId()).isEqualTo("m-3");
            assertThat(o.success()).isFalse();
            assertThat(o.code()).isEqualTo("12001");
            assertThat(o.detail()).contains("device not online");
        });
    }

    @Test
    void unreachableApiFailsTheSend() throws Exception {
        // Verifies that a transport error of the API call fails the send stage and reports no outcome.
        // GIVEN an online Studio device whose API URL has nobody listening
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        studio(Map.of("productId", ONENET_PRODUCT, "accessKey", ACCESS_KEY, "apiBaseUrl", "http://127.0.0.1:" + closedPort));
        assertThat(post(lifeCycle("test01", true, "1")).statusCode()).isEqualTo(200);
        TransportConnection device = platform.connections.get(0);
        // WHEN the platform writes a property
        // THEN the stage fails as unavailable
        assertThatThrownBy(() -> device.send(downlink("properties/write", "m-4", "{\"properties\":{\"power\":\"off\"}}"))
                .toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(platform.outcomes).isEmpty();
    }

    @Test
    void errorDownlinkIsNotSent() throws Exception {
        // Verifies that a downlink that is not a command (an error reply) completes without calling the API.
        // GIVEN an online Studio device
        TransportConnection device = onlineStudioDevice("test01");
        // WHEN the platform sends it an error
        device.send(downlink("error", "m-5", "{\"messageId\":\"m-5\",\"code\":\"invalid_value\"}")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        // THEN nothing went to OneNET
        assertThat(api.calls()).isEmpty();
        assertThat(platform.outcomes).isEmpty();
    }

    @Test
    void readIsNotSupported() throws Exception {
        // Verifies that a properties/read fails with a clear error and calls nothing.
        // GIVEN an online Studio device
        TransportConnection device = onlineStudioDevice("test01");
        // WHEN the platform reads properties
        // THEN the send fails as unsupported
        assertThatThrownBy(() -> device.send(downlink("properties/read", "m-6", "{\"properties\":[\"power\"]}"))
                .toCompletableFuture().join())
                .cause().isInstanceOfSatisfying(ThingportException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
                    assertThat(e.getMessage()).contains("not supported by the OneNET bridge");
                });
        assertThat(api.calls()).isEmpty();
    }

    @Test
    void legacyCommandsFail() throws Exception {
        // Verifies that in legacy mode a command fails, naming mode=studio.
        // GIVEN an online legacy device
        legacy(Map.of());
        assertThat(post(FakeOneNetPushes.legacyPlain(TOKEN, "abcdefgh", FakeOneNetPushes.legacyStatus(5, true, AT, 10))).statusCode())
                .isEqualTo(200);
        TransportConnection device = platform.connections.get(0);
        // WHEN the platform writes a property
        // THEN it fails
        assertThatThrownBy(() -> device.send(downlink("properties/write", "m-7", "{\"properties\":{\"p\":1}}"))
                .toCompletableFuture().join())
                .cause().isInstanceOf(ThingportException.class).hasMessageContaining("use mode=studio");
    }

    @Test
    void closingTakesEveryDeviceOffline() throws Exception {
        // Verifies that closing the component disconnects its cloud devices and frees the port.
        // GIVEN a component with an online device
        legacy(Map.of());
        post(FakeOneNetPushes.legacyPlain(TOKEN, "abcdefgh", FakeOneNetPushes.legacyStatus(5, true, AT, 10)));
        int port = component.boundAddress().getPort();
        // WHEN it closes
        component.close();
        component = null;
        // THEN the device is offline and the port free
        assertThat(platform.disconnects).hasSize(1);
        try (ServerSocket s = new ServerSocket(port)) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private void legacy(Map<String, String> more) {
        Map<String, String> keys = new HashMap<>(more);
        keys.put("mode", "legacy");
        start(keys, null);
    }

    private void studio(Map<String, String> more) {
        Map<String, String> keys = new HashMap<>(more);
        keys.put("mode", "studio");
        start(keys, null);
    }

    private void start(Map<String, String> more, DeviceService deviceService) {
        Map<String, String> keys = new HashMap<>();
        keys.put("host", "127.0.0.1");
        keys.put("port", "0");
        keys.put("product", "p1");
        keys.put("token", TOKEN);
        keys.putAll(more);
        component = new OneNetProvider(deviceService).start(new NetworkComponentConfig("onenet1", "onenet", keys), platform);
    }

    private TransportConnection onlineStudioDevice(String name) throws Exception {
        api = FakeOneNetApi.start(ONENET_PRODUCT, ACCESS_KEY, Clock.systemUTC());
        studio(Map.of("productId", ONENET_PRODUCT, "accessKey", ACCESS_KEY, "apiBaseUrl", api.baseUrl().toString()));
        assertThat(post(lifeCycle(name, true, "online-" + name)).statusCode()).isEqualTo(200);
        return platform.connections.get(0);
    }

    private static EncodedMessage downlink(String type, String messageId, String payload) {
        return EncodedMessage.of("/p1/test01/" + type, payload).withHeader(EncodedMessage.MESSAGE_TYPE, type)
                .withHeader(EncodedMessage.MESSAGE_ID, messageId);
    }

    private static byte[] lifeCycle(String device, boolean online, String pushId) {
        return FakeOneNetPushes.studioPlain(TOKEN, "abcdefgh", pushId, AT, "{\"productId\":\"" + ONENET_PRODUCT + "\",\"deviceId\":1343759,"
                + "\"deviceName\":\"" + device + "\",\"messageType\":\"lifeCycle\",\"data\":{\"status\":\""
                + (online ? "online" : "offline") + "\",\"time\":" + (AT + (online ? 0 : 1)) + "}}");
    }

    private String base() {
        return "http://127.0.0.1:" + component.boundAddress().getPort();
    }

    private HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/onenet")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String rawQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/onenet?" + rawQuery)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The name of the (first) property a stored report carries. */
    private static String property(FakePlatform.Stored stored) {
        try {
            return MAPPER.readTree(stored.payload()).path("properties").fieldNames().next();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }
}
