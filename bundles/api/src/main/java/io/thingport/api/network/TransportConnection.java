package io.thingport.api.network;

import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One device connection held by a network component. Thread-safe: the platform calls it from any thread.
 */
@ConsumerType
public interface TransportConnection {
    /** Unique among the component's connections (e.g. a Netty channel id). */
    String id();

    Transport transport();

    InetSocketAddress remoteAddress();

    /**
     * Sends one downlink. Completes when the transport has written it (for MQTT QoS 0) — delivery to the
     * application is confirmed by the device's reply, not by this stage.
     */
    CompletionStage<Void> send(EncodedMessage message);

    /**
     * Closes the connection; {@code reason} goes to the device log. Uplinks already received are still acknowledged
     * when the platform completes them within a few seconds, so a device never loses the acknowledgement of a message
     * that was stored; nothing more is read. Idempotent.
     */
    void close(String reason);

    boolean isOpen();
}
