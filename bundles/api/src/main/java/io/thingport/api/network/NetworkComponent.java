package io.thingport.api.network;

import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ConsumerType;

/** A running network component: a bound server (or a client) that holds device connections. */
@ConsumerType
public interface NetworkComponent extends AutoCloseable {
    NetworkComponentConfig config();

    /** The address actually bound (the port is resolved when 0 was configured). */
    InetSocketAddress boundAddress();

    int connectionCount();

    /**
     * One line for operators ({@code iot:network-list}): what the component is doing now, e.g. where it listens, or
     * for a client that it is reconnecting and why.
     */
    default String status() {
        return "listening on " + boundAddress();
    }

    /** Stops accepting, closes every connection it holds (each reported as disconnected) and frees the port. */
    @Override
    void close();
}
