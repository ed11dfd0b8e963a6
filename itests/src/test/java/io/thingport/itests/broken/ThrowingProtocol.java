package io.thingport.itests.broken;

import io.thingport.api.message.DeviceMessage;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSample;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import java.util.List;
import java.util.Set;

/**
 * A broken build of the "compact" protocol for ProtocolPackageIT: its codec throws on every uplink, which the
 * platform finds by decoding the package's own sample. Packed into a plain jar (no OSGi manifest) by the test.
 */
public final class ThrowingProtocol implements ProtocolSupport {
    private final DeviceCodec codec = new DeviceCodec() {
        @Override
        public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
            throw new IllegalStateException("decoder bug: index 3 out of bounds");
        }

        @Override
        public EncodedMessage encode(DeviceMessage message, CodecSession session) {
            throw new IllegalStateException("encoder bug");
        }

        @Override
        public boolean maySubscribe(String topicFilter, CodecSession session) {
            return false;
        }
    };

    @Override
    public String id() {
        return "compact";
    }

    @Override
    public String name() {
        return "Compact (broken build)";
    }

    @Override
    public String version() {
        return "9.9.9-broken";
    }

    @Override
    public String description() {
        return "a build whose decoder throws";
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
        return (request, context) -> AuthResult.refuse(AuthFailure.NOT_AUTHORIZED, null, "broken");
    }

    @Override
    public List<ProtocolSample> samples() {
        EncodedMessage frame = new EncodedMessage("", new byte[] {2, 0, 0, 0, 1, 0}, null);
        return List.of(new ProtocolSample(Transport.TCP, "sample", "sample-1", frame));
    }
}
