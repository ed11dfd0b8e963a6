package io.thingport.protocol.gizwits;

import static io.thingport.protocol.gizwits.TestModels.catchCodec;
import static io.thingport.protocol.gizwits.TestModels.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.thingport.api.ErrorCode;
import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DirectMessage;
import io.thingport.api.message.ErrorMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.protocol.AuthContext;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCredentials;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProductCredentials;
import io.thingport.api.protocol.ProtocolSample;
import io.thingport.api.protocol.Transport;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class GizwitsProtocolTest {
    private final GizwitsProtocol protocol = new GizwitsProtocol();
    private final GizwitsMqttCodec codec = (GizwitsMqttCodec) protocol.codec(Transport.MQTT);

    private static CodecSession session(Product product) {
        return new CodecSession() {
            public String deviceId() {
                return "dev-1";
            }

            public String productId() {
                return "aircon-1";
            }

            public Transport transport() {
                return Transport.MQTT;
            }

            public boolean registrationOnly() {
                return false;
            }

            public Optional<Product> product() {
                return Optional.ofNullable(product);
            }
        };
    }

    private final CodecSession fixed = session(TestModels.fixedAircon());
    private final CodecSession variable = session(TestModels.variableAircon());
    private final CodecSession noProduct = session(null);

    private static EncodedMessage up(String topic, String hexPayload) {
        return new EncodedMessage(topic, hex(hexPayload), Map.of());
    }

    private static MessageHeader header(String messageId) {
        return MessageHeader.of(messageId, "aircon-1", "dev-1", 1L);
    }

    @Test
    void describesItself() {
        assertThat(protocol.id()).isEqualTo("gizwits");
        assertThat(protocol.transports()).containsExactly(Transport.MQTT);
        assertThat(protocol.thingModelCodec()).get().extracting(c -> c.id()).isEqualTo("gizwits-binary");
        assertThat(protocol.description()).isNotBlank();
        assertThat(protocol.documentation()).contains("dev2app/{deviceId}", "app2dev/{deviceId}/{messageId}", "0x14 report",
                "iot:protocol-doc --product");
        assertThat(protocol.authenticator(Transport.MQTT)).isInstanceOf(GizwitsAuthenticator.class);
        assertThatThrownBy(() -> protocol.codec(Transport.TCP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> protocol.authenticator(Transport.HTTP)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void samplesDecodeWithoutAProduct() {
        // The package check decodes the samples with a session that has no product.
        for (ProtocolSample s : protocol.samples()) {
            CodecSession sampleSession = new CodecSession() {
                public String deviceId() {
                    return s.deviceId();
                }

                public String productId() {
                    return s.productId();
                }

                public Transport transport() {
                    return s.transport();
                }

                public boolean registrationOnly() {
                    return false;
                }
            };
            assertThat(protocol.codec(s.transport()).decode(s.uplink(), sampleSession)).isNotEmpty();
        }
    }

    @Test
    void decodesUplinkTopics() {
        List<DeviceMessage> report = codec.decode(up("dev2app/dev-1", GizwitsBinaryCodecTest.REPORT), fixed);
        assertThat(report).singleElement().isInstanceOf(ReportProperties.class);
        assertThat(((ReportProperties) report.get(0)).properties()).containsEntry("target", 23.5).hasSize(12);

        // a report on the reply topic answers a write: a write reply carrying the state
        DeviceMessage write = codec.decode(up("dev2app/dev-1/m1", GizwitsBinaryCodecTest.REPORT), fixed).get(0);
        assertThat(write).isInstanceOf(WritePropertiesReply.class);
        assertThat(((WritePropertiesReply) write).success()).isTrue();
        assertThat(write.messageId()).isEqualTo("m1");
        assertThat(((WritePropertiesReply) write).properties()).containsEntry("mode", "heat");

        DeviceMessage read = codec.decode(up("dev2app/dev-1/m2", "13 00 01 01"), variable).get(0);
        assertThat(read).isInstanceOf(ReadPropertiesReply.class);
        assertThat(((ReadPropertiesReply) read).properties()).containsExactly(entry("power", true));
        assertThat(read.messageId()).isEqualTo("m2");

        DeviceMessage sparse = codec.decode(up("dev2app/dev-1", GizwitsBinaryCodecTest.VAR_REPORT), variable).get(0);
        assertThat(((ReportProperties) sparse).properties()).containsOnlyKeys("mode", "target", "energy", "filter", "sensorFault");
        assertThat(sparse.deviceId()).isEqualTo("dev-1");
        assertThat(sparse.productId()).isEqualTo("aircon-v");
    }

    @Test
    void transparentDataNeedsNoProduct() {
        DeviceMessage m = codec.decode(up("dev2app/dev-1", "06 DE AD"), noProduct).get(0);
        assertThat(m).isInstanceOf(DirectMessage.class);
        assertThat(hex(((DirectMessage) m).payload())).isEqualTo("DE AD");
        assertThat(m.productId()).isEqualTo("aircon-1");
        assertCode(() -> codec.decode(up("dev2app/dev-1", GizwitsBinaryCodecTest.REPORT), noProduct), ErrorCode.NOT_FOUND,
                "product aircon-1 of device dev-1 is not available");
    }

    @Test
    void refusesForeignAndUnknownTopics() {
        assertCode(() -> codec.decode(up("dev2app/dev-2", "06"), fixed), ErrorCode.FORBIDDEN, "outside this device's topics");
        assertCode(() -> codec.decode(up("dev2app/dev-2/m1", "06"), fixed), ErrorCode.FORBIDDEN, "outside");
        assertCode(() -> codec.decode(up("app2dev/dev-1/m1", "06"), fixed), ErrorCode.FORBIDDEN, "app2dev");
        assertCode(() -> codec.decode(up("dev2app/dev-1/m1/x", "06"), fixed), ErrorCode.UNSUPPORTED_TOPIC, "unknown topic");
        assertCode(() -> codec.decode(up("dev2app/dev-1/", "06"), fixed), ErrorCode.UNSUPPORTED_TOPIC, "unknown topic");
        assertCode(() -> codec.decode(up("/aircon-1/dev-1/properties/report", "06"), fixed), ErrorCode.UNSUPPORTED_TOPIC,
                "unknown topic");
        assertCode(() -> codec.decode(up("dev2app/dev-1", "04 1D"), fixed), ErrorCode.MALFORMED, "has 16 bytes, got 2");
        CodecException e = catchCodec(() -> codec.decode(up("dev2app/dev-1/m4", "04 1D"), fixed));
        assertThat(e.messageId()).isEqualTo("m4");
        assertCode(() -> codec.decode(up("dev2app/dev-1", ""), fixed), ErrorCode.MALFORMED, "empty data");
    }

    @Test
    void encodesDownlinks() {
        EncodedMessage write = codec.encode(new WriteProperties(header("m1"), Map.of("target", 23.5, "mode", "cool")), fixed);
        assertThat(write.topic()).isEqualTo("app2dev/dev-1/m1");
        assertThat(hex(write.payload())).isEqualTo("01 0A 02 02 17 00 00 00 00");

        EncodedMessage read = codec.encode(new ReadProperties(header("m2"), List.of("online", "sensorFault")), variable);
        assertThat(read.topic()).isEqualTo("app2dev/dev-1/m2");
        assertThat(hex(read.payload())).isEqualTo("12 08 40");

        EncodedMessage direct = codec.encode(new DirectMessage(header(""), hex("01 02")), noProduct);
        assertThat(direct.topic()).isEqualTo("app2dev/dev-1/direct");
        assertThat(hex(direct.payload())).isEqualTo("05 01 02");
        assertThat(codec.encode(new DirectMessage(header("m3"), new byte[0]), fixed).topic())
                .isEqualTo("app2dev/dev-1/m3");

        assertCode(() -> codec.encode(new WriteProperties(header("m1"), Map.of("online", true)), fixed), ErrorCode.INVALID_ARGUMENT,
                "property online");
        assertCode(() -> codec.encode(new WriteProperties(header("m1"), Map.of("power", true)), noProduct), ErrorCode.NOT_FOUND,
                "not available");
        assertCode(() -> codec.encode(new WriteProperties(header(""), Map.of("power", true)), fixed), ErrorCode.INVALID_ARGUMENT,
                "needs a message id");
        assertCode(() -> codec.encode(new ReadProperties(header("a/b"), List.of()), fixed), ErrorCode.INVALID_ARGUMENT,
                "cannot be a topic level");
        assertCode(() -> codec.encode(new ErrorMessage(header("m1"), ErrorCode.MALFORMED, "bad", "dev2app/dev-1"), fixed),
                ErrorCode.UNSUPPORTED, "sends no error message");
    }

    @Test
    void devicesSubscribeOnlyBelowTheirOwnDownlinkTopic() {
        assertThat(codec.maySubscribe("app2dev/dev-1/#", fixed)).isTrue();
        assertThat(codec.maySubscribe("app2dev/dev-1/+", fixed)).isTrue();
        assertThat(codec.maySubscribe("app2dev/dev-1/m1", fixed)).isTrue();
        assertThat(codec.maySubscribe("app2dev/dev-2/#", fixed)).isFalse();
        assertThat(codec.maySubscribe("app2dev/#", fixed)).isFalse();
        assertThat(codec.maySubscribe("app2dev/+/+", fixed)).isFalse();
        assertThat(codec.maySubscribe("app2dev/dev-1", fixed)).isFalse();
        assertThat(codec.maySubscribe("app2dev/dev-1/+/x", fixed)).isFalse();
        assertThat(codec.maySubscribe("app2dev/dev-1/a#", fixed)).isFalse();
        assertThat(codec.maySubscribe("dev2app/dev-1", fixed)).isFalse();
        assertThat(codec.maySubscribe("#", fixed)).isFalse();
    }

    // ----------------------------------------------------------------------------------------------------- auth

    private static final AuthContext CONTEXT = new AuthContext() {
        @Override
        public Optional<DeviceCredentials> device(String id) {
            switch (id) {
                case "dev-1":
                    return Optional.of(new DeviceCredentials("dev-1", "aircon-1", "s3cr3t", true));
                case "off-1":
                    return Optional.of(new DeviceCredentials("off-1", "aircon-1", "s3cr3t", false));
                default:
                    return Optional.empty();
            }
        }

        @Override
        public Optional<ProductCredentials> product(String id) {
            return id.equals("aircon-1") || id.equals("other")
                    ? Optional.of(new ProductCredentials(id, "productSecret", false)) : Optional.empty();
        }

        @Override
        public long now() {
            return 0;
        }

        @Override
        public boolean recordLogin(String deviceId, long timestampMs) {
            throw new AssertionError("Gizwits logins carry no timestamp");
        }

        @Override
        public boolean certificateBound(String deviceId, X509Certificate certificate) {
            throw new AssertionError("Gizwits logins carry no client certificate");
        }
    };

    private static AuthResult login(String clientId, String username, String password) {
        return new GizwitsAuthenticator().authenticate(new AuthRequest(Transport.MQTT, clientId, username,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8), null), CONTEXT);
    }

    @Test
    void thePasswordIsComparedByDigestSoItsLengthDoesNotMatter() {
        // Verifies matches(): equal bytes only; a prefix, a longer value, an empty or missing secret never match.
        assertThat(GizwitsAuthenticator.matches("s3cr3t", "s3cr3t".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(GizwitsAuthenticator.matches("s3cr3t", "s3cr3".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(GizwitsAuthenticator.matches("s3cr3t", "s3cr3t!".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(GizwitsAuthenticator.matches("", new byte[0])).isFalse();
        assertThat(GizwitsAuthenticator.matches(null, "x".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void authenticatesWithTheDeviceSecret() {
        AuthResult ok = login("dev-1", "aircon-1", "s3cr3t");
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.deviceId()).isEqualTo("dev-1");
        assertThat(ok.productId()).isEqualTo("aircon-1");

        assertThat(login("dev-1", "aircon-1", "s3cr3T").failure()).isEqualTo(AuthFailure.BAD_SIGNATURE);
        assertThat(login("dev-1", "aircon-1", "s3cr3t ").failure()).isEqualTo(AuthFailure.BAD_SIGNATURE);
        assertThat(login("dev-1", "aircon-1", null).failure()).isEqualTo(AuthFailure.BAD_SIGNATURE);
        assertThat(login("ghost", "aircon-1", "s3cr3t").failure()).isEqualTo(AuthFailure.UNKNOWN_DEVICE);
        AuthResult mismatch = login("dev-1", "other", "s3cr3t");
        assertThat(mismatch.failure()).isEqualTo(AuthFailure.UNKNOWN_PRODUCT);
        assertThat(mismatch.detail()).contains("not a device of product other");
        assertThat(login("dev-1", "nope", "s3cr3t").detail()).contains("unknown product nope");
        assertThat(login("off-1", "aircon-1", "s3cr3t").failure()).isEqualTo(AuthFailure.DISABLED_DEVICE);
        assertThat(login("", "aircon-1", "s3cr3t").failure()).isEqualTo(AuthFailure.MALFORMED_CREDENTIALS);
        assertThat(login("dev-1", "", "s3cr3t").failure()).isEqualTo(AuthFailure.MALFORMED_CREDENTIALS);
        assertThat(new GizwitsAuthenticator().authenticate(AuthRequest.ofFrame(Transport.TCP, hex("01"), null, null), CONTEXT)
                .failure()).isEqualTo(AuthFailure.MALFORMED_CREDENTIALS);
    }

    // ---------------------------------------------------------------------------------------------------- helpers


    private static void assertCode(ThrowingCallable call, ErrorCode code, String fragment) {
        CodecException e = catchCodec(call);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(fragment);
    }
}
