package io.thingport.core.internal.gateway;

import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.Transport;

/** An authenticated device connection: who it is, the connection and the codec its gateway speaks. */
public record DeviceSession(String deviceId, String productId, boolean registrationOnly, TransportConnection connection,
                            DeviceCodec codec, String gatewayId, long connectedAt) implements CodecSession {

    @Override
    public Transport transport() {
        return connection.transport();
    }
}
