package io.thingport.protocol.official;

import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import java.util.EnumSet;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/** Registers the official protocol (id {@code official}). */
@Component(service = ProtocolSupport.class, property = "protocol.id=" + OfficialProtocol.ID)
public final class OfficialProtocol implements ProtocolSupport {
    public static final String ID = "official";

    private final OfficialCodec codec = new OfficialCodec();
    private final OfficialFrameCodec frames = new OfficialFrameCodec(codec);
    private final OfficialAuthenticator authenticator = new OfficialAuthenticator();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Thingport official protocol";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public String description() {
        return "JetLinks-compatible topics /{productId}/{deviceId}/..., JSON payloads, HMAC-SHA256 signed logins; on TCP, UDP"
                + " and WebSocket every frame is '<topic> <payload>' after a /auth login frame";
    }

    @Override
    public Set<Transport> transports() {
        return EnumSet.allOf(Transport.class);
    }

    @Override
    public DeviceCodec codec(Transport transport) {
        requireSupported(transport);
        return switch (transport) {
            case TCP, UDP, WEBSOCKET -> frames;
            default -> codec;
        };
    }

    @Override
    public Authenticator authenticator(Transport transport) {
        requireSupported(transport);
        return authenticator;
    }

    private void requireSupported(Transport transport) {
        if (!transports().contains(transport)) {
            throw new IllegalArgumentException("the official protocol does not support " + transport + " (supported: "
                    + transports() + ")");
        }
    }
}
