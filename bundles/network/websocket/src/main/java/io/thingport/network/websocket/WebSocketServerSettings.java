package io.thingport.network.websocket;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.network.netty.NettyTls;
import java.util.Set;

/**
 * The {@code websocket-server} configuration keys, checked. Besides the common keys
 * ({@link NetworkComponentConfig#COMMON_KEYS}; TLS, i.e. {@code wss://}, is on when {@code certificate} is set):
 *
 * <table>
 *   <caption>websocket-server keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code host}</td><td>{@code 0.0.0.0}</td><td>bind address</td></tr>
 *   <tr><td>{@code port}</td><td>required</td><td>TCP port; 0 picks a free one</td></tr>
 *   <tr><td>{@code path}</td><td>{@code /}</td><td>the HTTP path devices open the WebSocket on (a query string is
 *       allowed); any other path is answered 404</td></tr>
 *   <tr><td>{@code maxMessageLength}</td><td>65536</td><td>largest message in bytes (a fragmented message counts as
 *       a whole); a larger one closes the connection with status 1009</td></tr>
 *   <tr><td>{@code maxInflight}</td><td>32</td><td>uplinks per connection the platform is still storing before the
 *       server stops reading from that connection</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>300</td><td>seconds without any byte from the device (pings count) before the
 *       connection is closed (0 = never)</td></tr>
 *   <tr><td>{@code authTimeout}</td><td>10</td><td>seconds a new connection has to open the WebSocket and send an
 *       accepted login message</td></tr>
 *   <tr><td>{@code ioThreads}</td><td>number of cores</td><td>Netty event-loop threads</td></tr>
 *   <tr><td>{@code clientAuth}</td><td>{@code none}</td><td>with TLS: {@code none}, {@code optional} or
 *       {@code require} a client certificate (see {@link NettyTls})</td></tr>
 * </table>
 */
record WebSocketServerSettings(String host, int port, String path, int maxMessageLength, int maxInflight, int idleTimeout,
                               int authTimeout, int ioThreads) {

    static final String TYPE = "websocket-server";

    /** Keys this type reads besides {@link NetworkComponentConfig#COMMON_KEYS}. */
    static final Set<String> KEYS = Set.of("host", "port", "path", "maxMessageLength", "maxInflight", "idleTimeout",
            "authTimeout", "ioThreads", NettyTls.CLIENT_AUTH);

    static WebSocketServerSettings from(NetworkComponentConfig c) {
        c.checkKeys(TYPE, KEYS);
        String host = c.string("host", "0.0.0.0");
        String rawPort = c.properties().get("port");
        if (rawPort == null || rawPort.isBlank()) {
            throw ThingportException.invalidArgument("network component " + c.id() + ": port is required (a " + TYPE
                    + " has no default port; 0 picks a free one)");
        }
        int port = c.integer("port", 0, 0, 65535);
        String path = c.string("path", "/");
        if (!path.startsWith("/") || path.contains("?") || path.contains("#") || path.chars().anyMatch(ch -> ch <= ' ')) {
            throw ThingportException.invalidArgument("network component " + c.id() + ": path '" + path
                    + "' must start with / and hold no query, fragment or spaces (e.g. /ws)");
        }
        int maxMessageLength = c.integer("maxMessageLength", 65_536, 1, 16 * 1024 * 1024);
        int maxInflight = c.integer("maxInflight", 32, 1, 65_535);
        int idleTimeout = c.integer("idleTimeout", 300, 0, 86_400);
        int authTimeout = c.integer("authTimeout", 10, 1, 3600);
        int ioThreads = c.integer("ioThreads", Runtime.getRuntime().availableProcessors(), 1, 256);
        return new WebSocketServerSettings(host, port, path, maxMessageLength, maxInflight, idleTimeout, authTimeout, ioThreads);
    }
}
