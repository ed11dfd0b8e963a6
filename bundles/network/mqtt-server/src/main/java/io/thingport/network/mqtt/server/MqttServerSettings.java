package io.thingport.network.mqtt.server;

import io.thingport.api.network.NetworkComponentConfig;

/**
 * The MQTT server's configuration keys, checked.
 *
 * @param host             bind address ({@code host}, default {@code 0.0.0.0})
 * @param port             TCP port ({@code port}, default 1883; 0 picks a free one)
 * @param maxMessageLength largest MQTT packet accepted, in bytes ({@code maxMessageLength}, default 262144)
 * @param maxInflight      messages (QoS 0 or 1) per connection that the platform is still storing before the server
 *                         stops reading from that connection ({@code maxInflight}, default 32)
 * @param connectTimeout   seconds a new connection has to send CONNECT ({@code connectTimeout}, default 10)
 * @param ioThreads        Netty event-loop threads ({@code ioThreads}, default the number of cores)
 */
record MqttServerSettings(String host, int port, int maxMessageLength, int maxInflight, int connectTimeout, int ioThreads) {
    /** Keys this type reads, plus the ones every network component has ({@code type}, {@code protocol}, {@code name}). */
    static final java.util.Set<String> KEYS = java.util.Set.of("type", "protocol", "name", "host", "port", "maxMessageLength",
            "maxInflight", "connectTimeout", "ioThreads");

    static MqttServerSettings from(NetworkComponentConfig c) {
        for (String key : c.properties().keySet()) {
            if (!KEYS.contains(key)) {
                throw io.thingport.api.ThingportException.invalidArgument("network component " + c.id() + ": unknown key '" + key
                        + "' (an mqtt-server knows " + new java.util.TreeSet<>(KEYS) + ")");
            }
        }
        return new MqttServerSettings(c.string("host", "0.0.0.0"), c.integer("port", 1883, 0, 65535),
                c.integer("maxMessageLength", 262_144, 64, 268_435_455), c.integer("maxInflight", 32, 1, 65_535),
                c.integer("connectTimeout", 10, 1, 3600), c.integer("ioThreads", Runtime.getRuntime().availableProcessors(), 1, 256));
    }
}
