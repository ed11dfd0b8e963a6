package io.thingport.itests.broken;

import io.thingport.api.ErrorCode;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSample;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A protocol package for ProtocolPackageIT's rollback test (id {@code partial}, MQTT): a device logs in with client id =
 * device id and password = its secret, and reports {@code name=T:value} fields separated by spaces, {@code T} being
 * {@code D} (double) or {@code L} (long). Long values are read by {@link LongValues}, a class of their own: the test
 * builds one revision with it and one without, which passes the platform's check (its sample carries a double only)
 * and throws {@code NoClassDefFoundError} on every real report with a long in it. The version is read from
 * {@code partial-version.txt} next to this class. Packed into a bundle (no dynamic imports) by the test.
 */
public final class PartlyPackagedProtocol implements ProtocolSupport {
    private final String version = readVersion();
    private final Codec codec = new Codec();

    @Override
    public String id() {
        return "partial";
    }

    @Override
    public String name() {
        return "Partly packaged";
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String description() {
        return "reports of typed fields; long values are read by a class of their own";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.MQTT);
    }

    @Override
    public DeviceCodec codec(Transport transport) {
        return codec;
    }

    @Override
    public Authenticator authenticator(Transport transport) {
        return (request, context) -> context.device(request.clientId())
                .filter(d -> d.enabled() && request.password() != null
                        && MessageDigest.isEqual(d.secret().getBytes(StandardCharsets.UTF_8), request.password()))
                .map(d -> AuthResult.accept(d.deviceId(), d.productId()))
                .orElse(AuthResult.refuse(AuthFailure.BAD_SIGNATURE, null, "bad login"));
    }

    @Override
    public List<ProtocolSample> samples() {
        EncodedMessage report = new EncodedMessage("partial/report", "temp=D:21.5".getBytes(StandardCharsets.UTF_8), Map.of());
        return List.of(new ProtocolSample(Transport.MQTT, "sample", "sample-1", report));
    }

    private static String readVersion() {
        try (InputStream in = PartlyPackagedProtocol.class.getResourceAsStream("partial-version.txt")) {
            if (in == null) {
                throw new IllegalStateException("partial-version.txt is missing next to " + PartlyPackagedProtocol.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code name=T:value ...} reports; a {@code seq} field is the message id. */
    static final class Codec implements DeviceCodec {
        @Override
        public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
            Map<String, Object> properties = new LinkedHashMap<>();
            String messageId = "";
            for (String field : new String(message.payload(), StandardCharsets.UTF_8).trim().split(" ")) {
                int eq = field.indexOf('=');
                if (eq < 1 || field.length() < eq + 4 || field.charAt(eq + 2) != ':') {
                    throw new CodecException(ErrorCode.MALFORMED, "expected name=T:value, found '" + field + "'");
                }
                String name = field.substring(0, eq);
                String value = field.substring(eq + 3);
                try {
                    switch (field.charAt(eq + 1)) {
                        case 'D' -> properties.put(name, Double.parseDouble(value));
                        case 'L' -> properties.put(name, LongValues.parse(value));
                        default -> throw new CodecException(ErrorCode.MALFORMED, "field " + name + " has an unknown type");
                    }
                } catch (NumberFormatException e) {
                    throw new CodecException(ErrorCode.MALFORMED, "field " + name + ": " + e.getMessage());
                }
                if (name.equals("seq")) {
                    messageId = value;
                }
            }
            return List.of(new ReportProperties(MessageHeader.of(messageId, session.productId(), session.deviceId(),
                    System.currentTimeMillis()), properties));
        }

        @Override
        public EncodedMessage encode(DeviceMessage message, CodecSession session) {
            throw new CodecException(ErrorCode.UNSUPPORTED, "no downlinks", message.messageId());
        }

        @Override
        public boolean maySubscribe(String topicFilter, CodecSession session) {
            return false;
        }
    }
}
