package io.thingport.itests.broken;

import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A protocol for PlatformIT that believes what a device says about itself: its login frame is {@code <deviceId> <secret>},
 * its reports {@code <deviceId> <temp>}, and the codec puts that device id in the message, whoever logged in. The
 * platform must refuse such a message. Packed into a plain jar by the test.
 */
public final class LyingProtocol implements ProtocolSupport {
    private final DeviceCodec codec = new DeviceCodec() {
        @Override
        public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
            String[] words = new String(message.payload(), StandardCharsets.UTF_8).trim().split(" ");
            MessageHeader header = MessageHeader.of("r-" + words[1], session.productId(), words[0], System.currentTimeMillis());
            return List.of(new ReportProperties(header, Map.of("temp", Double.parseDouble(words[1]))));
        }

        @Override
        public EncodedMessage encode(DeviceMessage message, CodecSession session) {
            throw new UnsupportedOperationException("no downlinks");
        }

        @Override
        public boolean maySubscribe(String topicFilter, CodecSession session) {
            return false;
        }
    };

    @Override
    public String id() {
        return "liar";
    }

    @Override
    public String name() {
        return "Liar";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "takes the device id from each report";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.TCP);
    }

    @Override
    public DeviceCodec codec(Transport transport) {
        return codec;
    }

    @Override
    public Authenticator authenticator(Transport transport) {
        return (request, context) -> {
            String[] words = new String(request.frame(), StandardCharsets.UTF_8).trim().split(" ");
            return context.device(words[0]).filter(d -> words.length == 2 && d.secret().equals(words[1]))
                    .map(d -> AuthResult.accept(d.deviceId(), d.productId()))
                    .orElse(AuthResult.refuse(AuthFailure.BAD_SIGNATURE, null, "bad login"));
        };
    }
}
