package io.thingport.protocol.official;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.network.Fingerprints;
import io.thingport.api.network.TlsMaterial;
import io.thingport.api.protocol.AuthContext;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.DeviceCredentials;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProductCredentials;
import io.thingport.api.protocol.Transport;
import io.thingport.network.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The official protocol on frame transports (TCP, UDP, WebSocket) and with client certificates. */
class OfficialFrameTest {
    private final OfficialProtocol protocol = new OfficialProtocol();
    private final DeviceCodec frames = protocol.codec(Transport.TCP);
    private final long now = System.currentTimeMillis();

    /** The registry: device id → credentials. */
    private final Map<String, DeviceCredentials> devices = new HashMap<>(Map.of(
            "dev-1", new DeviceCredentials("dev-1", "p1", "s3cr3t", true),
            "dev-2", new DeviceCredentials("dev-2", "p1", "s3cr3t", true),
            "off-1", new DeviceCredentials("off-1", "p1", "s3cr3t", false)));
    /** Device id → the fingerprints of the certificates an operator bound to it. */
    private final Map<String, Set<String>> bindings = new HashMap<>();

    private final AuthContext context = new AuthContext() {
        @Override
        public Optional<DeviceCredentials> device(String id) {
            return Optional.ofNullable(devices.get(id));
        }

        @Override
        public boolean certificateBound(String deviceId, X509Certificate certificate) {
            return bindings.getOrDefault(deviceId, Set.of()).contains(Fingerprints.sha256Text(certificate));
        }

        @Override
        public Optional<ProductCredentials> product(String id) {
            return Optional.empty();
        }

        @Override
        public long now() {
            return now;
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

    private static final CodecSession SESSION = new CodecSession() {
        public String deviceId() { return "dev-1"; }
        public String productId() { return "p1"; }
        public Transport transport() { return Transport.TCP; }
        public boolean registrationOnly() { return false; }
    };

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private AuthResult login(String frame) {
        return protocol.authenticator(Transport.TCP)
                .authenticate(AuthRequest.ofFrame(Transport.TCP, utf8(frame), null, List.of()), context);
    }

    @Test
    void everyTransportIsSupportedAndFrameTransportsShareTheFrameCodec() {
        // Verifies that the official protocol covers all six transports, frames on TCP/UDP/WebSocket only.
        assertThat(protocol.transports()).containsExactlyInAnyOrder(Transport.values());
        assertThat(protocol.codec(Transport.UDP)).isSameAs(frames);
        assertThat(protocol.codec(Transport.WEBSOCKET)).isSameAs(frames);
        assertThat(protocol.codec(Transport.HTTP)).isSameAs(protocol.codec(Transport.MQTT));
        assertThat(protocol.codec(Transport.COAP)).isSameAs(protocol.codec(Transport.MQTT));
    }

    @Test
    void aSignedLoginFrameIsAcceptedAndAnsweredWithASuccessReply() {
        // Verifies the /auth login frame and its /auth/reply.
        String user = "dev-1|" + now;
        AuthResult ok = login("/auth {\"clientId\":\"dev-1\",\"username\":\"" + user + "\",\"password\":\""
                + Signatures.hmacSha256Hex("s3cr3t", user) + "\"}");
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.deviceId()).isEqualTo("dev-1");
        assertThat(new String(frames.loginReply(ok).orElseThrow().payload(), StandardCharsets.UTF_8))
                .isEqualTo("/auth/reply {\"success\":true,\"deviceId\":\"dev-1\",\"productId\":\"p1\"}");
    }

    @Test
    void malformedOrBadlySignedLoginFramesAreRefusedWithOneGenericReply() {
        // Verifies refusals: garbage, a non-/auth first frame, broken JSON, a bad signature; the failure names the
        // reason for the operator, the reply tells the device only "bad credentials".
        assertThat(login("\u0001\u0002garbage").failure()).isEqualTo(AuthFailure.MALFORMED_CREDENTIALS);
        assertThat(login("/p1/dev-1/properties/report {}").failure()).isEqualTo(AuthFailure.MALFORMED_CREDENTIALS);
        assertThat(login("/auth {not json").failure()).isEqualTo(AuthFailure.MALFORMED_CREDENTIALS);
        String user = "dev-1|" + now;
        AuthResult bad = login("/auth {\"clientId\":\"dev-1\",\"username\":\"" + user + "\",\"password\":\"00\"}");
        assertThat(bad.failure()).isEqualTo(AuthFailure.BAD_SIGNATURE);
        assertThat(bad.detail()).isEqualTo("bad signature");
        assertThat(reply(bad))
                .isEqualTo("/auth/reply {\"success\":false,\"code\":\"bad_credentials\",\"message\":\"bad user name or password\"}");
    }

    @Test
    void anUnknownDeviceAndABadSignatureGetByteIdenticalReplies() {
        // Verifies that a peer cannot tell an unknown device from a wrong signature (or a replayed login) by the reply,
        // nor a disabled device from an unknown one before it has signed; a disabled device that signed is told so.
        String ghost = "ghost|" + now;
        AuthResult unknown = login("/auth {\"clientId\":\"ghost\",\"username\":\"" + ghost + "\",\"password\":\""
                + Signatures.hmacSha256Hex("s3cr3t", ghost) + "\"}");
        String user = "dev-1|" + now;
        AuthResult badSignature = login("/auth {\"clientId\":\"dev-1\",\"username\":\"" + user + "\",\"password\":\"00\"}");
        String signed = "/auth {\"clientId\":\"dev-1\",\"username\":\"" + user + "\",\"password\":\""
                + Signatures.hmacSha256Hex("s3cr3t", user) + "\"}";
        assertThat(login(signed).accepted()).isTrue();
        AuthResult replayed = login(signed);
        String off = "off-1|" + now;
        AuthResult disabledUnsigned = login("/auth {\"clientId\":\"off-1\",\"username\":\"" + off + "\",\"password\":\"00\"}");
        AuthResult disabledSigned = login("/auth {\"clientId\":\"off-1\",\"username\":\"" + off + "\",\"password\":\""
                + Signatures.hmacSha256Hex("s3cr3t", off) + "\"}");

        assertThat(List.of(unknown.failure(), badSignature.failure(), replayed.failure(), disabledUnsigned.failure()))
                .containsExactly(AuthFailure.UNKNOWN_DEVICE, AuthFailure.BAD_SIGNATURE, AuthFailure.STALE_TIMESTAMP,
                        AuthFailure.BAD_SIGNATURE);
        assertThat(frames.loginReply(unknown).orElseThrow().payload())
                .isEqualTo(frames.loginReply(badSignature).orElseThrow().payload())
                .isEqualTo(frames.loginReply(replayed).orElseThrow().payload())
                .isEqualTo(frames.loginReply(disabledUnsigned).orElseThrow().payload());
        assertThat(reply(disabledSigned))
                .isEqualTo("/auth/reply {\"success\":false,\"code\":\"disabled_device\",\"message\":\"the device is disabled\"}");
    }

    private String reply(AuthResult result) {
        return new String(frames.loginReply(result).orElseThrow().payload(), StandardCharsets.UTF_8);
    }

    @Test
    void framesCarryTopicAndPayloadBothWays() {
        // Verifies '<topic> <payload>' decoding and encoding, and that a frame without a topic is malformed.
        var decoded = frames.decode(
                new EncodedMessage("", utf8("/p1/dev-1/properties/report {\"messageId\":\"m1\",\"properties\":{\"t\":1}}\r"), Map.of()),
                SESSION);
        assertThat(decoded).singleElement().isInstanceOf(ReportProperties.class);
        assertThat(((ReportProperties) decoded.get(0)).properties()).containsEntry("t", 1);
        assertThat(frames.topicOf(new EncodedMessage("", utf8("/p1/dev-1/event/alarm {}"), Map.of()))).isEqualTo("/p1/dev-1/event/alarm");
        assertThat(frames.topicOf(new EncodedMessage("", utf8("garbage"), Map.of()))).isEmpty();
        assertThatThrownBy(() -> frames.decode(new EncodedMessage("", utf8("{\"messageId\":\"m1\"}"), Map.of()), SESSION))
                .isInstanceOf(CodecException.class).extracting(e -> ((CodecException) e).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThatThrownBy(() -> frames.decode(new EncodedMessage("", utf8("/p1/dev-2/properties/report {}"), Map.of()), SESSION))
                .extracting(e -> ((CodecException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("delay", 5);
        EncodedMessage out = frames.encode(
                new InvokeFunction(new MessageHeader("c1", "p1", "dev-1", 1L, Map.of()), "reboot", inputs), SESSION);
        assertThat(out.topic()).isEmpty();
        assertThat(out.payloadAsText()).isEqualTo("/p1/dev-1/function/invoke {\"messageId\":\"c1\",\"functionId\":\"reboot\","
                + "\"inputs\":[{\"name\":\"delay\",\"value\":5}]}");
    }

    @Test
    void aVerifiedClientCertificateBoundToTheDeviceNamedByItsCnLogsItIn() {
        // Verifies mutual-TLS login: CN = device id and the certificate bound to that device, no signature needed; a
        // client id that contradicts the certificate is refused.
        // GIVEN the test PKI's client certificate (CN=dev-1), bound to dev-1
        X509Certificate client = certificate("client.crt");
        bind("dev-1", client);
        var auth = protocol.authenticator(Transport.MQTT);
        // WHEN / THEN
        AuthResult ok = auth.authenticate(withCertificate("", client), context);
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.deviceId()).isEqualTo("dev-1");
        assertThat(ok.productId()).isEqualTo("p1");
        AuthResult wrongId = auth.authenticate(withCertificate("dev-9", client), context);
        assertThat(wrongId.failure()).isEqualTo(AuthFailure.MALFORMED_CREDENTIALS);
        AuthResult frame = auth.authenticate(AuthRequest.ofFrame(Transport.TCP, utf8("/auth {}"), null, List.of(client)), context);
        assertThat(frame.accepted()).isTrue();
    }

    @Test
    void aCertificateTheCaSignedWithTheDevicesCnIsRefusedUnlessBoundToIt() {
        // Verifies that the CA's signature and a matching CN are not enough: the twin certificate (CN=dev-1, same CA,
        // another key) is refused while only the client certificate is bound to dev-1, and so is a certificate bound to
        // another device; the refusal is the one bad-credentials answer an unknown device gets, its reason for the
        // operator only.
        // GIVEN dev-1 with the client certificate bound
        X509Certificate client = certificate("client.crt");
        X509Certificate twin = certificate("twin.crt");
        bind("dev-1", client);
        var auth = protocol.authenticator(Transport.MQTT);

        // WHEN the twin logs in as dev-1, unbound
        AuthResult unbound = auth.authenticate(withCertificate("dev-1", twin), context);
        // THEN it is refused as bad credentials, with the fingerprint in the operator's detail
        assertThat(unbound.accepted()).isFalse();
        assertThat(unbound.failure()).isEqualTo(AuthFailure.UNBOUND_CERTIFICATE);
        assertThat(unbound.deviceId()).isEqualTo("dev-1");
        assertThat(unbound.detail())
                .contains("certificate " + Fingerprints.sha256Text(twin) + " (CN=dev-1, issued by CN=Thingport-Test-CA)")
                .endsWith("is not bound to device dev-1 (iot:device-cert-bind)");

        // WHEN the twin is bound to another device, then nothing is bound, then the CN names no device
        bind("dev-2", twin);
        AuthResult elsewhere = auth.authenticate(withCertificate("", twin), context);
        bindings.clear();
        AuthResult none = auth.authenticate(withCertificate("", client), context);
        devices.remove("dev-1");
        AuthResult unknown = auth.authenticate(withCertificate("", client), context);
        // THEN each is refused, and the peer cannot tell any of these refusals from the unknown device's
        assertThat(elsewhere.failure()).isEqualTo(AuthFailure.UNBOUND_CERTIFICATE);
        assertThat(none.failure()).isEqualTo(AuthFailure.UNBOUND_CERTIFICATE);
        assertThat(unknown.failure()).isEqualTo(AuthFailure.UNKNOWN_DEVICE);
        for (AuthResult refused : List.of(unbound, elsewhere, none)) {
            assertThat(refused.accepted()).isFalse();
            assertThat(refused.failure().badCredentials()).isTrue();
            assertThat(refused.failure().deviceCode()).isEqualTo(unknown.failure().deviceCode());
            assertThat(refused.failure().deviceMessage()).isEqualTo(unknown.failure().deviceMessage());
        }
    }

    @Test
    void aDisabledDeviceIsToldSoOnlyWithItsBoundCertificate() {
        // Verifies the order of the checks: only a bound certificate learns that its device is disabled.
        X509Certificate client = certificate("client.crt");
        var auth = protocol.authenticator(Transport.MQTT);
        devices.put("dev-1", new DeviceCredentials("dev-1", "p1", "s3cr3t", false));
        assertThat(auth.authenticate(withCertificate("", client), context).failure()).isEqualTo(AuthFailure.UNBOUND_CERTIFICATE);
        bind("dev-1", client);
        assertThat(auth.authenticate(withCertificate("", client), context).failure()).isEqualTo(AuthFailure.DISABLED_DEVICE);
    }

    private void bind(String deviceId, X509Certificate certificate) {
        bindings.computeIfAbsent(deviceId, k -> new HashSet<>()).add(Fingerprints.sha256Text(certificate));
    }

    private static X509Certificate certificate(String file) {
        return TlsMaterial.fromPem(file, TestPki.get().pem(file), null, null).certificate();
    }

    private static AuthRequest withCertificate(String clientId, X509Certificate certificate) {
        return new AuthRequest(Transport.MQTT, clientId, "", null, null).withCertificates(List.of(certificate));
    }
}
