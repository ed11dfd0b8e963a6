package io.thingport.network.http;

import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.RefusedHandshakes;
import io.thingport.api.network.RequestSessions;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.Transport;
import io.thingport.network.netty.NettyServer;
import io.thingport.network.netty.NettyServerComponent;
import io.thingport.network.netty.NettyTls;
import io.thingport.network.netty.TlsHandshakes;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running HTTP server: one bound port, its TCP connections, its device sessions and its event loops.
 *
 * <h2>Wire protocol</h2>
 * <ul>
 *   <li>A request that carries credentials logs in: the values an MQTT CONNECT carries, as headers
 *       {@code X-Client-Id}, {@code X-Username} and {@code X-Password} (UTF-8). They become
 *       {@code new AuthRequest(Transport.HTTP, clientId, username, passwordBytes, remote)}, with
 *       {@link AuthRequest#withCertificates} when the TLS handshake verified a client
 *       certificate. Without a verified client certificate all three headers are required ({@code X-Client-Id} not
 *       empty); with one, missing headers count as empty, and a request with neither credential headers nor a token
 *       logs in by the certificate. Missing credentials: {@code 401}
 *       {@code {"code":"malformed_credentials","message":"..."}}.</li>
 *   <li>Every login goes to the platform (a replayed one is refused there). An accepted one opens a new session
 *       (the device is online; a previous session of the device on this component closes) and its response carries
 *       the session's token: {@code {"token":"...","downlinks":[...]}}. Later requests send the token as
 *       {@code X-Session-Token} and no credentials. A session ends {@code idleTimeout} seconds after its last request
 *       or {@code sessionLifetime} seconds after its login (the device goes offline); an unknown or ended token is
 *       answered {@code 401} {@code {"code":"invalid_session",...}} and the device logs in again
 *       ({@link RequestSessions}).</li>
 *   <li>{@code POST <path prefix><topic>} with the payload as body: the platform receives
 *       {@code EncodedMessage(topic, body, {"content-type": ...})} (the header only when the request has one; the
 *       query string is ignored; the path is percent-decoded). When the platform has stored it: {@code 200},
 *       {@code Content-Type: application/json},
 *       {@code {"downlinks":[{"topic":"...","payload":"<payload as UTF-8 text>"}, ...]}} with the downlinks queued
 *       for the device (an empty array when none). The platform refused it as a breach of the access rules
 *       ({@code FORBIDDEN}): {@code 403} {@code {"code":"forbidden","message":"..."}}. Any other failure:
 *       {@code 503} {@code {"code":"unavailable","message":"..."}} (send it again).</li>
 *   <li>{@code GET <path prefix><anything>} with a login or a token: {@code 200} with the queued downlinks (polling;
 *       nothing goes to the platform).</li>
 *   <li>Refused login: {@code 401} when the failure is bad credentials
 *       ({@link AuthFailure#badCredentials()}), else {@code 403}; body
 *       {@code {"code":"<AuthFailure.deviceCode()>","message":"<AuthFailure.deviceMessage()>"}}: one
 *       {@code bad_credentials} body for an unknown device, a bad signature and a replayed login alike.</li>
 *   <li>Other methods: {@code 405} ({@code Allow: GET, POST}); a path outside the prefix: {@code 404}; a body over
 *       {@code maxMessageLength}: {@code 413} and the connection closes (chunked bodies too; never more than the limit
 *       is buffered; {@code Expect: 100-continue} is answered {@code 413} before the body is sent); malformed HTTP:
 *       {@code 400} and that connection closes.</li>
 *   <li>Every error body is {@code {"code":"...","message":"..."}}. HTTP/1.1 keep-alive is supported; pipelined
 *       requests are answered in order; at most {@code maxInflight} requests per connection are in progress before
 *       the server stops reading from it.</li>
 * </ul>
 *
 * <p>{@link #connectionCount()} is the number of open device sessions.
 */
final class HttpServerComponent extends NettyServerComponent {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServerComponent.class);

    private final RequestSessions sessions;

    private HttpServerComponent(NetworkComponentConfig config, NettyServer server, RequestSessions sessions,
                                RefusedHandshakes refused) {
        super(config, server, refused);
        this.sessions = sessions;
    }

    static HttpServerComponent start(NetworkComponentConfig config, HttpServerSettings settings, TransportListener listener) {
        Optional<SslContext> tls = NettyTls.serverContext(config);
        RequestSessions sessions = new RequestSessions(config.id(), Transport.HTTP, listener, settings.idleTimeout() * 1000L,
                settings.sessionLifetime() * 1000L, settings.maxQueued());
        RefusedHandshakes refused = new RefusedHandshakes(config.id(), LOG::warn);
        try {
            NettyServer server = NettyServer.start(config, "http", settings.host(), settings.port(), settings.ioThreads(), ch -> {
                tls.ifPresent(ssl -> TlsHandshakes.addTo(ch.pipeline(), "tls", ssl.newHandler(ch.alloc()), refused));
                ch.pipeline()
                        .addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout(), TimeUnit.SECONDS))
                        .addLast("codec", new HttpServerCodec(4096, 8192, 8192))
                        .addLast("device", new HttpDeviceHandler(ch, config.id(), settings, sessions, listener));
            });
            HttpServerComponent started = new HttpServerComponent(config, server, sessions, refused);
            LOG.info("network component {}: HTTP server listening on {}{}", config.id(), started.boundAddress(),
                    tls.isPresent() ? " (TLS, clientAuth " + settings.clientAuth() + ")" : "");
            return started;
        } catch (RuntimeException e) {
            sessions.close();
            throw e;
        }
    }

    /** Open device sessions (devices online through this component). */
    @Override
    public int connectionCount() {
        return sessions.size();
    }

    @Override
    public void close() {
        server.close(sessions::close);
        LOG.info("network component {}: HTTP server stopped", config.id());
    }
}
