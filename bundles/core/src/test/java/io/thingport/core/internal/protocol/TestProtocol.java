package io.thingport.core.internal.protocol;

import io.thingport.api.message.DeviceMessage;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import java.util.List;
import java.util.Set;

/**
 * A protocol for tests: it passes {@link ProtocolCheck} (unless it names no transport); its codec decodes and encodes
 * nothing.
 */
public record TestProtocol(String id, String version, Set<Transport> transports) implements ProtocolSupport {
    public TestProtocol(String id, String version) {
        this(id, version, Set.of(Transport.TCP));
    }

    @Override
    public String name() {
        return "Demo " + version;
    }

    @Override
    public String description() {
        return "a protocol for tests";
    }

    @Override
    public DeviceCodec codec(Transport transport) {
        return new DeviceCodec() {
            @Override
            public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
                throw new UnsupportedOperationException();
            }

            @Override
            public EncodedMessage encode(DeviceMessage message, CodecSession session) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean maySubscribe(String topicFilter, CodecSession session) {
                return false;
            }
        };
    }

    @Override
    public Authenticator authenticator(Transport transport) {
        return (request, context) -> null;
    }
}
