package io.thingport.protocol.official;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceOffline;
import io.thingport.api.message.DeviceOnline;
import io.thingport.api.message.ErrorMessage;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.InvokeFunctionReply;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.RegisterReply;
import io.thingport.api.message.RegisterRequest;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.ShadowReply;
import io.thingport.api.message.ShadowRequest;
import io.thingport.api.protocol.AuthContext;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCredentials;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProductCredentials;
import io.thingport.api.protocol.Transport;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OfficialProtocolTest {
    private static final long NOW = 1_700_000_000_000L;

    private final OfficialProtocol protocol = new OfficialProtocol();
    private final OfficialCodec codec = (OfficialCodec) protocol.codec(Transport.MQTT);

    private static CodecSession session(boolean registration) {
        return new CodecSession() {
            public String deviceId() { return "dev-1"; }
            public String productId() { return "p1"; }
            public Transport transport() { return Transport.MQTT; }
            public boolean registrationOnly() { return registration; }
        };
    }

    private final AuthContext context = new AuthContext() {
        @Override
        public Optional<DeviceCredentials> device(String id) {
            return switch (id) {
                case "dev-1" -> Optional.of(new DeviceCredentials("dev-1", "p1", "s3cr3t", true));
                case "off-1" -> Optional.of(new DeviceCredentials("off-1", "p1", "s3cr3t", false));
                case "other-1" -> Optional.of(new DeviceCredentials("other-1", "p2", "x", true));
                default -> Optional.empty();
            };
        }

        @Override
        public Optional<ProductCredentials> product(String id) {
            return switch (id) {
                case "p1" -> Optional.of(new ProductCredentials("p1", "productSecret", true));
                case "p3" -> Optional.of(new ProductCredentials("p3", "productSecret", false));
                default -> Optional.empty();
            };
        }

        @Override
        public long now() {
            return NOW;
        }

        @Override
        public boolean certificateBound(String deviceId, X509Certificate certificate) {
            throw new AssertionError("these logins carry no client certificate (OfficialFrameTest has those)");
        }

        private final Map<String, Long> logins = new HashMap<>();

        @Override
        public synchronized boolean recordLogin(String deviceId, long timestampMs) {
            Long previous = logins.get(deviceId);
            if (previous != null && timestampMs <= previous) {
                return false;
            }
            logins.put(deviceId, timestampMs);
            return true;
        }
    };

    private static AuthRequest login(String clientId, String username, String password) {
        return new AuthRequest(Transport.MQTT, clientId, username, password.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void signatureMatchesTheSpecificationVector() {
        // Verifies the worked example of official-protocol.md (openssl dgst -sha256 -hmac).
        assertThat(Signatures.hmacSha256Hex("s3cr3t", "dev-1|1700000000000"))
                .isEqualTo("b58a6ffc3f9c429b8848c7b65e1e82505035b9daa6686ea1d0baa2ea3da549ac");
    }

    @Test
    void acceptsSignedLoginAndRefusesEachBadOne() {
        // Verifies every refusal reason of the credentials section.
        OfficialAuthenticator auth = new OfficialAuthenticator();
        String user = "dev-1|" + NOW;
        AuthResult ok = auth.authenticate(login("dev-1", user, Signatures.hmacSha256Hex("s3cr3t", user)), context);
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.productId()).isEqualTo("p1");

        assertThat(auth.authenticate(login("dev-1", user, Signatures.hmacSha256Hex("s3cr3t", user)), context).failure())
                .as("replayed login").isEqualTo(AuthFailure.STALE_TIMESTAMP);
        String later = "dev-1|" + (NOW + 1);
        assertThat(auth.authenticate(login("dev-1", later, "00" + Signatures.hmacSha256Hex("s3cr3t", later).substring(2)), context)
                .failure()).isEqualTo(AuthFailure.BAD_SIGNATURE);
        String stale = "dev-1|" + (NOW - 301_000);
        assertThat(auth.authenticate(login("dev-1", stale, Signatures.hmacSha256Hex("s3cr3t", stale)), context).failure())
                .isEqualTo(AuthFailure.STALE_TIMESTAMP);
        String off = "off-1|" + NOW;
        assertThat(auth.authenticate(login("off-1", off, Signatures.hmacSha256Hex("s3cr3t", off)), context).failure())
                .isEqualTo(AuthFailure.DISABLED_DEVICE);
        assertThat(AuthFailure.DISABLED_DEVICE.badCredentials()).isFalse();
        String ghost = "ghost|" + NOW;
        assertThat(auth.authenticate(login("ghost", ghost, "x"), context).failure()).isEqualTo(AuthFailure.UNKNOWN_DEVICE);
        assertThat(auth.authenticate(login("dev-1", "dev-1", "x"), context).failure()).isEqualTo(AuthFailure.MALFORMED_CREDENTIALS);
        assertThat(auth.authenticate(login("dev-1", "dev-1|abc", "x"), context).failure()).isEqualTo(AuthFailure.MALFORMED_CREDENTIALS);
        String other = "dev-1|" + (NOW + 2);
        assertThat(auth.authenticate(login("dev-2", other, Signatures.hmacSha256Hex("s3cr3t", other)), context).failure())
                .as("client id differs from the device id").isEqualTo(AuthFailure.MALFORMED_CREDENTIALS);
    }

    @Test
    void dynamicRegistrationLogin() {
        // Verifies the product-secret login and its refusals.
        OfficialAuthenticator auth = new OfficialAuthenticator();
        String signed = "p1|new-1|" + NOW;
        AuthResult ok = auth.authenticate(login("new-1", signed + "|register", Signatures.hmacSha256Hex("productSecret", signed)), context);
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.registrationOnly()).isTrue();
        String closed = "p3|new-1|" + NOW;
        assertThat(auth.authenticate(login("new-1", closed + "|register", Signatures.hmacSha256Hex("productSecret", closed)), context)
                .failure()).isEqualTo(AuthFailure.REGISTRATION_NOT_ALLOWED);
        String taken = "p1|other-1|" + NOW;
        assertThat(auth.authenticate(login("other-1", taken + "|register", Signatures.hmacSha256Hex("productSecret", taken)), context)
                .failure()).isEqualTo(AuthFailure.NOT_AUTHORIZED);
        assertThat(auth.authenticate(login("new-1", signed + "|register", "bad"), context).failure()).isEqualTo(AuthFailure.BAD_SIGNATURE);
    }

    @Test
    void aLoginIsAcceptedOnceWhateverTheAuthenticatorInstanceAndTheKindOfLogin() {
        // Verifies that the replay check is the platform's (AuthContext.recordLogin), not the authenticator's: a new
        // authenticator (a protocol update, a restart) refuses a replayed login; a replayed registration is refused;
        // a device login must be newer than the device's registration; a bad signature does not move the clock.
        String user = "dev-1|" + NOW;
        String password = Signatures.hmacSha256Hex("s3cr3t", user);
        assertThat(new OfficialAuthenticator().authenticate(login("dev-1", user, password), context).accepted()).isTrue();
        assertThat(new OfficialAuthenticator().authenticate(login("dev-1", user, password), context).failure())
                .isEqualTo(AuthFailure.STALE_TIMESTAMP);

        String signed = "p1|new-1|" + NOW;
        String registration = Signatures.hmacSha256Hex("productSecret", signed);
        assertThat(new OfficialAuthenticator().authenticate(login("new-1", signed + "|register", registration), context).accepted())
                .isTrue();
        AuthResult again = new OfficialAuthenticator().authenticate(login("new-1", signed + "|register", registration), context);
        assertThat(again.failure()).isEqualTo(AuthFailure.STALE_TIMESTAMP);
        assertThat(again.detail()).contains("replayed login");

        String future = "dev-1|" + (NOW + 60_000);
        assertThat(new OfficialAuthenticator().authenticate(login("dev-1", future, "bad"), context).failure())
                .isEqualTo(AuthFailure.BAD_SIGNATURE);
        String next = "dev-1|" + (NOW + 1);
        assertThat(new OfficialAuthenticator().authenticate(login("dev-1", next, Signatures.hmacSha256Hex("s3cr3t", next)), context)
                .accepted()).as("an unsigned future timestamp did not move the device's clock").isTrue();
    }

    private List<DeviceMessage> decode(String topic, String json) {
        return codec.decode(EncodedMessage.of(topic, json), session(false));
    }

    @Test
    void decodesUplinks() {
        // Verifies the uplink topics and payloads of the specification.
        ReportProperties report = (ReportProperties) decode("/p1/dev-1/properties/report",
                "{\"messageId\":\"m1\",\"timestamp\":1601196762389,\"properties\":{\"temp\":36.5}}").get(0);
        assertThat(report.messageId()).isEqualTo("m1");
        assertThat(report.timestamp()).isEqualTo(1601196762389L);
        assertThat(report.properties()).containsEntry("temp", 36.5);
        assertThat(report.deviceId()).isEqualTo("dev-1");

        InvokeFunctionReply reply = (InvokeFunctionReply) decode("/p1/dev-1/function/invoke/reply",
                "{\"messageId\":\"m2\",\"output\":\"ok\"}").get(0);
        assertThat(reply.success()).as("a reply without success counts as success").isTrue();
        assertThat(reply.output()).isEqualTo("ok");

        ReadPropertiesReply read = (ReadPropertiesReply) decode("/p1/dev-1/properties/read/reply",
                "{\"messageId\":\"m3\",\"success\":false,\"code\":\"busy\",\"message\":\"later\"}").get(0);
        assertThat(read.success()).isFalse();
        assertThat(read.code()).isEqualTo("busy");

        DeviceEvent event = (DeviceEvent) decode("/p1/dev-1/event/overheat", "{\"messageId\":\"m4\",\"data\":100}").get(0);
        assertThat(event.eventId()).isEqualTo("overheat");
        assertThat(event.data()).isEqualTo(100);
    }

    @Test
    void decodedValuesHaveTheJavaTypesOfJacksonsUntypedMapping() throws Exception {
        // The codec walks the parsed tree itself; its values must be exactly what ObjectMapper gives for Object.class.
        String properties = "{\"i\":7,\"l\":12345678901,\"big\":123456789012345678901234567890,\"d\":-0.5,\"e\":1e400,"
                + "\"s\":\"x\",\"t\":true,\"n\":null,\"a\":[1,\"two\",[3.5],{\"k\":false}],\"o\":{\"deep\":{\"v\":[]}}}";
        ReportProperties report = (ReportProperties) decode("/p1/dev-1/properties/report",
                "{\"messageId\":\"m1\",\"properties\":" + properties + "}").get(0);
        Object expected = OfficialCodec.JSON.readValue(properties, Object.class);
        assertThat(report.properties()).isEqualTo(expected);
        assertThat(report.properties().keySet()).containsExactly("i", "l", "big", "d", "e", "s", "t", "n", "a", "o");
        assertThat(report.properties().values()).extracting(v -> v == null ? null : v.getClass().getSimpleName())
                .containsExactly("Integer", "Long", "BigInteger", "Double", "Double", "String", "Boolean", null, "ArrayList",
                        "LinkedHashMap");
        DeviceEvent event = (DeviceEvent) decode("/p1/dev-1/event/e", "{\"messageId\":\"m2\",\"data\":[null,{\"a\":1}]}").get(0);
        assertThat(event.data()).isEqualTo(OfficialCodec.JSON.readValue("[null,{\"a\":1}]", Object.class));
    }

    @Test
    void refusesForeignTopicsAndMalformedPayloads() {
        // Verifies the ACL and the malformed-payload rule.
        assertThatThrownBy(() -> decode("/p1/dev-2/properties/report", "{\"messageId\":\"m1\",\"properties\":{}}"))
                .isInstanceOf(CodecException.class).extracting(e -> ((CodecException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> decode("/p1/dev-1/properties/report", "not json"))
                .extracting(e -> ((CodecException) e).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThatThrownBy(() -> decode("/p1/dev-1/properties/report", "[1]")).hasMessage("payload must be a JSON object");
        assertThatThrownBy(() -> decode("/p1/dev-1/properties/report", "{\"messageId\":\"m1\",\"messageId\":\"m2\",\"properties\":{}}"))
                .extracting(e -> ((CodecException) e).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThatThrownBy(() -> decode("/p1/dev-1/properties/report", "{\"properties\":{}}"))
                .hasMessageContaining("messageId is required");
        assertThatThrownBy(() -> decode("/p1/dev-1/properties/report", "{\"messageId\":\"m1\",\"properties\":5}"))
                .hasMessageContaining("properties is required and must be a JSON object")
                .extracting(e -> ((CodecException) e).messageId()).isEqualTo("m1");
        assertThatThrownBy(() -> decode("/p1/dev-1/nonsense", "{\"messageId\":\"m1\"}"))
                .extracting(e -> ((CodecException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_TOPIC);
        assertThatThrownBy(() -> codec.decode(EncodedMessage.of("/p1/dev-1/properties/report", "{\"messageId\":\"m1\",\"properties\":{}}"),
                session(true))).extracting(e -> ((CodecException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void encodesDownlinks() {
        // Verifies the downlink payloads of the specification.
        MessageHeader h = MessageHeader.of("m1", "p1", "dev-1", NOW);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("delay", 5L);
        EncodedMessage invoke = codec.encode(new InvokeFunction(h, "reboot", inputs), session(false));
        assertThat(invoke.topic()).isEqualTo("/p1/dev-1/function/invoke");
        assertThat(invoke.payloadAsText())
                .isEqualTo("{\"messageId\":\"m1\",\"functionId\":\"reboot\",\"inputs\":[{\"name\":\"delay\",\"value\":5}]}");
        assertThat(codec.encode(new ReadProperties(h, List.of("temp")), session(false)).payloadAsText())
                .isEqualTo("{\"messageId\":\"m1\",\"properties\":[\"temp\"]}");
        EncodedMessage error = codec.encode(new ErrorMessage(h, ErrorCode.INVALID_VALUE, "property temp: 900 is above the maximum 85",
                "/p1/dev-1/properties/report"), session(false));
        assertThat(error.topic()).isEqualTo("/p1/dev-1/error");
        assertThat(error.payloadAsText()).isEqualTo("{\"messageId\":\"m1\",\"code\":\"invalid_value\",\"message\":"
                + "\"property temp: 900 is above the maximum 85\",\"topic\":\"/p1/dev-1/properties/report\"}");
        assertThat(codec.encode(new RegisterReply(h, true, null, null, "abc"), session(true)).payloadAsText())
                .isEqualTo("{\"messageId\":\"m1\",\"success\":true,\"deviceSecret\":\"abc\"}");
    }

    @Test
    void noErrorAnswersAMessageOnATopicThePlatformSendsOn() {
        // Verifies the loop guard of the protocol: a message arriving on /error or a command topic (an echo of the
        // platform's own message, e.g. through a broker) is refused without an /error reply; other topics get one.
        // GIVEN refusals of messages that came on each kind of topic
        MessageHeader h = MessageHeader.of("m1", "p1", "dev-1", NOW);
        for (String suffix : List.of("error", "function/invoke", "properties/read", "properties/write", "register/reply")) {
            ErrorMessage refusal = new ErrorMessage(h, ErrorCode.UNSUPPORTED_TOPIC, "unknown topic", "/p1/dev-1/" + suffix);
            // WHEN the core asks for the /error / THEN there is none
            assertThatThrownBy(() -> codec.encode(refusal, session(false))).isInstanceOf(CodecException.class)
                    .hasMessageContaining("no /error in reply to /p1/dev-1/" + suffix);
        }
        for (String suffix : List.of("properties/report", "event/alarm", "function/invoke/reply", "nonsense", "direct")) {
            ErrorMessage refusal = new ErrorMessage(h, ErrorCode.UNSUPPORTED_TOPIC, "unknown topic", "/p1/dev-1/" + suffix);
            assertThat(codec.encode(refusal, session(false)).topic()).isEqualTo("/p1/dev-1/error");
        }
    }

    @Test
    void decodesShadowRequestsKeepingNullsAndEncodesTheAnswers() {
        // Verifies the shadow topics: get and update requests with their documents (a null member kept: it deletes a
        // key), and each answer on its own topic with the document's members beside the messageId.
        // GIVEN / WHEN a get and an update that sets one key and deletes another
        ShadowRequest get = (ShadowRequest) decode("/p1/dev-1/shadow/get", "{\"messageId\":\"g1\",\"clientToken\":\"t\"}").get(0);
        ShadowRequest update = (ShadowRequest) decode("/p1/dev-1/shadow/update",
                "{\"messageId\":\"u1\",\"state\":{\"desired\":{\"led\":true,\"level\":null}},\"version\":3}").get(0);
        // THEN
        assertThat(get.operation()).isEqualTo(ShadowRequest.Operation.GET);
        assertThat(get.clientToken()).isEqualTo("t");
        assertThat(update.operation()).isEqualTo(ShadowRequest.Operation.UPDATE);
        @SuppressWarnings("unchecked")
        Map<String, Object> desired = (Map<String, Object>) ((Map<String, Object>) update.body().get("state")).get("desired");
        assertThat(desired).containsEntry("led", true).containsKey("level").containsEntry("level", null);
        assertThat(update.body()).containsEntry("version", 3);
        assertThatThrownBy(() -> decode("/p1/dev-1/shadow/delete", "{\"messageId\":\"d1\"}"))
                .extracting(e -> ((CodecException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_TOPIC);
        // WHEN the answers are encoded / THEN each goes to its topic
        MessageHeader h = MessageHeader.of("u1", "p1", "dev-1", NOW);
        EncodedMessage rejected = codec.encode(new ShadowReply(h, ShadowReply.Kind.UPDATE_REJECTED,
                Map.of("code", 409, "message", "version 3 is not the shadow's current version 4")), session(false));
        assertThat(rejected.topic()).isEqualTo("/p1/dev-1/shadow/update/rejected");
        assertThat(rejected.payloadAsText()).startsWith("{\"messageId\":\"u1\",").contains("\"code\":409");
        assertThat(codec.encode(new ShadowReply(h, ShadowReply.Kind.DELTA, Map.of("state", Map.of("led", true))), session(false))
                .topic()).isEqualTo("/p1/dev-1/shadow/update/delta");
        for (ShadowReply.Kind kind : ShadowReply.Kind.values()) {
            // a copy of an answer coming back (through a broker) is never answered with an /error
            ErrorMessage refusal = new ErrorMessage(h, ErrorCode.UNSUPPORTED_TOPIC, "unknown topic", "/p1/dev-1/" + kind.topicSuffix());
            assertThatThrownBy(() -> codec.encode(refusal, session(false))).isInstanceOf(CodecException.class);
        }
    }

    @Test
    void aGatewaySpeaksForItsSubDevicesUnderChildTopics() {
        // Verifies the sub-device topics: an uplink under /child/{childId}/ is the sub-device's, with no product (the
        // platform fills it in); a registration names its product; online/offline only for sub-devices; a message to a
        // sub-device goes under the gateway's topics; an echo of one is never answered with an /error.
        // GIVEN / WHEN a gateway's uplinks for sub-device c-1
        ReportProperties report = (ReportProperties) decode("/p1/dev-1/child/c-1/properties/report",
                "{\"messageId\":\"m1\",\"properties\":{\"temp\":1}}").get(0);
        RegisterRequest register = (RegisterRequest) decode("/p1/dev-1/child/c-1/register",
                "{\"messageId\":\"r1\",\"productId\":\"lamp\"}").get(0);
        // THEN
        assertThat(report.deviceId()).isEqualTo("c-1");
        assertThat(report.productId()).isNull();
        assertThat(register.deviceId()).isEqualTo("c-1");
        assertThat(register.productId()).isEqualTo("lamp");
        assertThat(decode("/p1/dev-1/child/c-1/online", "{\"messageId\":\"o1\"}").get(0)).isInstanceOf(DeviceOnline.class);
        assertThat(decode("/p1/dev-1/child/c-1/offline", "{\"messageId\":\"o2\"}").get(0)).isInstanceOf(DeviceOffline.class);
        assertThat(((ShadowRequest) decode("/p1/dev-1/child/c-1/shadow/get", "{\"messageId\":\"g1\"}").get(0)).deviceId())
                .isEqualTo("c-1");
        // refusals
        assertThatThrownBy(() -> decode("/p1/dev-1/child/c-1/register", "{\"messageId\":\"r2\"}"))
                .extracting(e -> ((CodecException) e).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThatThrownBy(() -> decode("/p1/dev-1/online", "{\"messageId\":\"o3\"}"))
                .extracting(e -> ((CodecException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED);
        for (String topic : List.of("/p1/dev-1/child/c-1", "/p1/dev-1/child//properties/report", "/p1/dev-1/child/c 1/online",
                "/p1/dev-1/child/c-1/child/c-2/online")) {
            assertThatThrownBy(() -> decode(topic, "{\"messageId\":\"x\"}")).as(topic)
                    .extracting(e -> ((CodecException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_TOPIC);
        }
        // WHEN the platform sends to the sub-device through the gateway's session / THEN under the gateway's topics
        MessageHeader h = MessageHeader.of("m1", "lamp", "c-1", NOW);
        EncodedMessage invoke = codec.encode(new InvokeFunction(h, "reboot", Map.of()), session(false));
        assertThat(invoke.topic()).isEqualTo("/p1/dev-1/child/c-1/function/invoke");
        EncodedMessage registered = codec.encode(new RegisterReply(h, true, null, null, null), session(false));
        assertThat(registered.topic()).isEqualTo("/p1/dev-1/child/c-1/register/reply");
        assertThat(registered.payloadAsText()).isEqualTo("{\"messageId\":\"m1\",\"success\":true}");
        ErrorMessage echo = new ErrorMessage(h, ErrorCode.UNSUPPORTED_TOPIC, "x", "/p1/dev-1/child/c-1/function/invoke");
        assertThatThrownBy(() -> codec.encode(echo, session(false))).isInstanceOf(CodecException.class);
        ErrorMessage refusal = new ErrorMessage(h, ErrorCode.INVALID_VALUE, "x", "/p1/dev-1/child/c-1/properties/report");
        assertThat(codec.encode(refusal, session(false)).topic()).isEqualTo("/p1/dev-1/child/c-1/error");
    }

    @Test
    void subscriptionAcl() {
        // Verifies that a device subscribes only under its own topics.
        assertThat(codec.maySubscribe("/p1/dev-1/#", session(false))).isTrue();
        assertThat(codec.maySubscribe("/p1/dev-1/function/invoke", session(false))).isTrue();
        assertThat(codec.maySubscribe("/p1/+/function/invoke", session(false))).isFalse();
        assertThat(codec.maySubscribe("#", session(false))).isFalse();
        assertThat(codec.maySubscribe("/p1/dev-10/#", session(false))).isFalse();
        assertThat(codec.maySubscribe("/p1/dev-1/register/reply", session(true))).isTrue();
        assertThat(codec.maySubscribe("/p1/dev-1/#", session(true))).isFalse();
    }
}
