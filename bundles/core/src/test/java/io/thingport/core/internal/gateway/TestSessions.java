package io.thingport.core.internal.gateway;

import io.thingport.api.message.DeviceMessage;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Device sessions for tests of code that only needs to know whose a session is: the gateway has no codec and no
 * platform services, and the connection drops what it is sent (and remembers why it was closed).
 */
public final class TestSessions {
    private TestSessions() {
    }

    /** An authenticated MQTT session of a device, on gateway {@code test-gw}. */
    public static DeviceSession session(String deviceId, String productId) {
        DeviceGateway gateway = new DeviceGateway("test-gw", new NoProtocol(), Transport.MQTT, null);
        return new DeviceSession(deviceId, productId, false, new NoConnection(), gateway, System.currentTimeMillis());
    }

    /**
     * An authenticated MQTT session of a device whose codec adds every message it is asked to encode to {@code written}
     * (in the order they are written) and encodes it as its type's topic suffix.
     */
    public static DeviceSession recording(String deviceId, String productId, List<DeviceMessage> written) {
        return new DeviceSession(deviceId, productId, false, new NoConnection(), recordingGateway(written), System.currentTimeMillis());
    }

    private static DeviceGateway recordingGateway(List<DeviceMessage> written) {
        DeviceCodec codec = new DeviceCodec() {
            @Override
            public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
                return List.of();
            }

            @Override
            public EncodedMessage encode(DeviceMessage message, CodecSession session) {
                written.add(message);
                return new EncodedMessage(message.type().topicSuffix(), new byte[0], Map.of());
            }

            @Override
            public boolean maySubscribe(String topicFilter, CodecSession session) {
                return true;
            }
        };
        return new DeviceGateway("test-gw", new NoProtocol(codec), Transport.MQTT, null);
    }

    /** Like {@link #recording}, but what is recorded is what the connection is given to send (headers included). */
    public static DeviceSession sending(String deviceId, String productId, List<EncodedMessage> sent) {
        return new DeviceSession(deviceId, productId, false, new NoConnection(sent), recordingGateway(new ArrayList<>()),
                System.currentTimeMillis());
    }

    /** Why the session's connection was closed, or {@code null} while it is open. */
    public static String closeReason(DeviceSession session) {
        return ((NoConnection) session.connection()).closeReason;
    }

    private static final class NoProtocol implements ProtocolSupport {
        private final DeviceCodec codec;

        NoProtocol() {
            this(null);
        }

        NoProtocol(DeviceCodec codec) {
            this.codec = codec;
        }

        @Override
        public String id() {
            return "test";
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public String version() {
            return "0";
        }

        @Override
        public String description() {
            return "a protocol without codecs, for tests";
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
            return null;
        }
    }

    private static final class NoConnection implements TransportConnection {
        private final List<EncodedMessage> sent;
        private volatile String closeReason;

        NoConnection() {
            this(null);
        }

        NoConnection(List<EncodedMessage> sent) {
            this.sent = sent;
        }

        @Override
        public String id() {
            return "test-connection";
        }

        @Override
        public Transport transport() {
            return Transport.MQTT;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return InetSocketAddress.createUnresolved("test", 1883);
        }

        @Override
        public CompletionStage<Void> send(EncodedMessage message) {
            if (sent != null) {
                sent.add(message);
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close(String reason) {
            closeReason = reason;
        }

        @Override
        public boolean isOpen() {
            return closeReason == null;
        }
    }
}
