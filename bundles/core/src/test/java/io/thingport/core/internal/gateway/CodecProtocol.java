package io.thingport.core.internal.gateway;

import io.thingport.api.message.DeviceMessage;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/** A revision of protocol {@code demo} for tests whose codec decodes with the function it is given. */
final class CodecProtocol implements ProtocolSupport {
    private final String version;
    private final DeviceCodec codec;

    CodecProtocol(String version, BiFunction<EncodedMessage, CodecSession, List<DeviceMessage>> decode) {
        this.version = version;
        this.codec = new DeviceCodec() {
            @Override
            public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
                return decode.apply(message, session);
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
    }

    @Override
    public String id() {
        return "demo";
    }

    @Override
    public String name() {
        return "Demo";
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String description() {
        return "a protocol revision for tests";
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
        return (request, context) -> null;
    }

    @Override
    public String toString() {
        return "demo " + version;
    }
}
