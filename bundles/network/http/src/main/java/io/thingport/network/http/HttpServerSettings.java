package io.thingport.network.http;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.network.netty.NettyTls;
import java.util.Set;

/**
 * The HTTP server's configuration keys, checked. Besides these, the component accepts the
 * {@link NetworkComponentConfig#COMMON_KEYS}; TLS is on when the common key {@code certificate} names a managed
 * certificate.
 *
 * <table>
 *   <caption>Keys of the {@code http-server} type</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code host}</td><td>{@code 0.0.0.0}</td><td>bind address</td></tr>
 *   <tr><td>{@code port}</td><td>required</td><td>TCP port; {@code 0} picks a free one</td></tr>
 *   <tr><td>{@code path}</td><td>empty</td><td>path prefix; the request path minus this prefix is the topic</td></tr>
 *   <tr><td>{@code maxMessageLength}</td><td>65536</td><td>largest request body in bytes; larger → 413</td></tr>
 *   <tr><td>{@code maxInflight}</td><td>32</td><td>requests in progress per TCP connection before reads stop</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>120</td><td>seconds without requests before a device session closes</td></tr>
 *   <tr><td>{@code sessionLifetime}</td><td>3600</td><td>seconds after its login when a device session closes,
 *       however busy (the device logs in again)</td></tr>
 *   <tr><td>{@code maxQueued}</td><td>32</td><td>downlinks held per device until its next request</td></tr>
 *   <tr><td>{@code ioThreads}</td><td>cores</td><td>Netty event-loop threads</td></tr>
 *   <tr><td>{@code clientAuth}</td><td>{@code none}</td><td>{@code none}, {@code optional} or {@code require}: client
 *       certificates (TLS only), verified against the trusted certificates</td></tr>
 * </table>
 *
 * @param host             bind address ({@code host}, default {@code 0.0.0.0})
 * @param port             TCP port ({@code port}, required; {@code 0} picks a free port)
 * @param path             path prefix ({@code path}, default empty): a request path must start with it (at a
 *                         {@code /} boundary) and the rest of the path is the topic; trailing {@code /} are removed,
 *                         so {@code /api/} means {@code /api}
 * @param maxMessageLength largest request body in bytes ({@code maxMessageLength}, default 65536); a larger body is
 *                         answered 413 (also for chunked bodies; no more than this is ever buffered)
 * @param maxInflight      requests in progress per TCP connection (pipelined requests whose response is not written
 *                         yet) before the server stops reading from that connection ({@code maxInflight}, default 32)
 * @param idleTimeout      seconds without requests after which a device session closes and the device goes offline
 *                         ({@code idleTimeout}, default 120); a TCP connection with no traffic and no request in
 *                         progress is closed after the same time
 * @param sessionLifetime  seconds after its login when a device session closes however busy; its token is refused
 *                         from then on and the device logs in again ({@code sessionLifetime}, default 3600)
 * @param maxQueued        downlinks held per device until its next request ({@code maxQueued}, default 32); a further
 *                         downlink fails with {@code TOO_LARGE}
 * @param ioThreads        Netty event-loop threads ({@code ioThreads}, default the number of cores)
 * @param clientAuth       {@code clientAuth}: {@code none} (default), {@code optional} or {@code require}; whether
 *                         devices present a TLS client certificate (needs TLS), read by
 *                         {@link NettyTls#serverContext(NetworkComponentConfig)}
 */
record HttpServerSettings(String host, int port, String path, int maxMessageLength, int maxInflight, int idleTimeout,
                          int sessionLifetime, int maxQueued, int ioThreads, String clientAuth) {
    /** Keys this type reads besides {@link NetworkComponentConfig#COMMON_KEYS}. */
    static final Set<String> KEYS = Set.of("host", "port", "path", "maxMessageLength", "maxInflight", "idleTimeout",
            "sessionLifetime", "maxQueued", "ioThreads", NettyTls.CLIENT_AUTH);

    static HttpServerSettings from(NetworkComponentConfig c) {
        c.checkKeys(HttpServerProvider.TYPE, KEYS);
        String port = c.properties().get("port");
        if (port == null || port.isBlank()) {
            throw ThingportException.invalidArgument("network component " + c.id()
                    + ": port is required (an http-server has no default port; 0 picks a free one)");
        }
        return new HttpServerSettings(c.string("host", "0.0.0.0"), c.integer("port", 0, 0, 65535), path(c),
                c.integer("maxMessageLength", 65_536, 1, 64 * 1024 * 1024), c.integer("maxInflight", 32, 1, 65_535),
                c.integer("idleTimeout", 120, 1, 86_400), c.integer("sessionLifetime", 3_600, 1, 604_800),
                c.integer("maxQueued", 32, 1, 65_535),
                c.integer("ioThreads", Runtime.getRuntime().availableProcessors(), 1, 256),
                c.choice(NettyTls.CLIENT_AUTH, "none", Set.of("none", "optional", "require")));
    }

    private static String path(NetworkComponentConfig c) {
        String p = c.string("path", "");
        if (p.isEmpty()) {
            return "";
        }
        if (!p.startsWith("/")) {
            throw ThingportException.invalidArgument("network component " + c.id() + ": path '" + p
                    + "' must start with / (or be empty)");
        }
        for (char ch : p.toCharArray()) {
            if (ch == '?' || ch == '#' || ch == '%' || Character.isWhitespace(ch) || Character.isISOControl(ch)) {
                throw ThingportException.invalidArgument("network component " + c.id() + ": path '" + p
                        + "' may not contain '" + ch + "' (a plain path prefix such as /api is expected)");
            }
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
