package io.thingport.network.mqtt.server;

import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.network.netty.NettyTls;
import java.util.Set;

/**
 * The MQTT server's configuration keys, checked. Besides the {@link NetworkComponentConfig#COMMON_KEYS} (TLS is on
 * when the common key {@code certificate} names a managed certificate; {@code trust} names the CA that client
 * certificates must chain to, by default the certificate's own CA chain):
 *
 * @param host             bind address ({@code host}, default {@code 0.0.0.0})
 * @param port             TCP port ({@code port}, default 1883; 0 picks a free one)
 * @param maxMessageLength largest MQTT packet accepted, in bytes ({@code maxMessageLength}, default 262144)
 * @param maxInflight      messages (QoS 0 or 1) per connection that the platform is still storing before the server
 *                         stops reading from that connection ({@code maxInflight}, default 32)
 * @param connectTimeout   seconds a new connection has to complete the TLS handshake and send CONNECT
 *                         ({@code connectTimeout}, default 10)
 * @param ioThreads        Netty event-loop threads ({@code ioThreads}, default the number of cores)
 * @param clientAuth       whether TLS devices present a client certificate ({@code clientAuth}: {@code none}
 *                         (default), {@code optional} or {@code require}); a verified certificate is handed to the
 *                         platform with the CONNECT credentials. Anything but {@code none} needs TLS.
 */
record MqttServerSettings(String host, int port, int maxMessageLength, int maxInflight, int connectTimeout, int ioThreads,
                          String clientAuth) {
    /** Keys this type reads besides {@link NetworkComponentConfig#COMMON_KEYS}. */
    static final Set<String> KEYS = Set.of("host", "port", "maxMessageLength", "maxInflight", "connectTimeout",
            "ioThreads", NettyTls.CLIENT_AUTH);

    static MqttServerSettings from(NetworkComponentConfig c) {
        c.checkKeys("mqtt-server", KEYS);
        return new MqttServerSettings(c.string("host", "0.0.0.0"), c.integer("port", 1883, 0, 65535),
                c.integer("maxMessageLength", 262_144, 64, 268_435_455), c.integer("maxInflight", 32, 1, 65_535),
                c.integer("connectTimeout", 10, 1, 3600), c.integer("ioThreads", Runtime.getRuntime().availableProcessors(), 1, 256),
                c.choice(NettyTls.CLIENT_AUTH, "none", Set.of("none", "optional", "require")));
    }
}
