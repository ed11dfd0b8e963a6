package io.thingport.rest.internal.ws;

import io.thingport.rest.internal.auth.CallerCheck;
import io.thingport.rest.internal.events.EventHub;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.websocket.CloseReason;
import javax.websocket.OnClose;
import javax.websocket.OnError;
import javax.websocket.OnMessage;
import javax.websocket.OnOpen;
import javax.websocket.Session;
import javax.websocket.server.ServerEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live device events over WebSocket, {@code ws://host:8181/api/v1/ws}: the WebSocket twin of {@code GET
 * /api/v1/events} (Server-Sent Events), with several subscriptions on one connection.
 *
 * <h2>Handshake</h2>
 * Authenticated like any request of the API, before the upgrade ({@link WsHandshake}): {@code Authorization: Basic} or
 * {@code Bearer <token>}, or an application's signature headers ({@code X-Thingport-App}, {@code -Timestamp},
 * {@code -Nonce}, {@code -Signature}) over {@code GET}, the path {@code /api/v1/ws}, the query and an empty body. A
 * browser, which cannot set headers on a WebSocket, passes a bearer token as {@code ?access_token=<token>} (used only
 * when the handshake has neither an {@code Authorization} header nor a signature). A handshake without valid
 * credentials is answered with the API's error and no upgrade: {@code 401} and {@code {"code":"unauthenticated",...}}
 * (likewise {@code 403}, {@code 429}); a request to the path that is not a WebSocket handshake with {@code 400}.
 *
 * <h2>Client to server</h2>
 * Text messages of one JSON object each, at most 16 KiB (a larger one closes the connection with 1009; a binary one is
 * answered with an error):
 * <ul>
 * <li>{@code {"type":"sub","id":"a","product":"p1","device":"d1","types":["property","online"],"lastEventId":123}}:
 * subscribes to device events, under the client's own {@code id} (1 to 64 characters, unique among the connection's
 * subscriptions). {@code product}, {@code device} and {@code types} (property, event, online, offline, reply,
 * command, rejected; none: all) select the events, as the SSE stream's parameters do; a caller only ever receives
 * events of products it may see. With {@code lastEventId} (the {@code id} of the last event received, before a
 * reconnection) the subscription first sends the stored events after it, within the resume window, then the live
 * ones, with nothing twice.</li>
 * <li>{@code {"type":"unsub","id":"a"}}: ends subscription {@code a}; nothing of it follows the reply.</li>
 * </ul>
 *
 * <h2>Server to client</h2>
 * <ul>
 * <li>{@code {"type":"subscribed","sub":"a"}}, then its events: {@code {"type":"event","sub":"a","event":{...}}},
 * where {@code event} is the SSE stream's event ({@code id}, {@code kind}, {@code timestamp}, {@code deviceId},
 * {@code productId}, {@code messageType}, {@code data}, ...).</li>
 * <li>{@code {"type":"unsubscribed","sub":"a"}}.</li>
 * <li>{@code {"type":"gap","sub":"a","message":"..."}}: more events were missed than a resume sends; the subscription
 * goes on with the newest.</li>
 * <li>{@code {"type":"error","sub":"a","code":"invalid_argument","message":"...","field":"types"}}: a message was
 * refused, the connection stays open. Codes: {@code malformed} (not JSON, not an object), {@code invalid_argument}
 * (unknown type or field, a value of the wrong type, a missing or bad id, an unknown event type), {@code conflict}
 * (the id is in use), {@code not_found} (unsub of an unknown id), {@code rate_limited} (more than 16 subscriptions on
 * the connection), {@code unavailable} (the platform serves its most live streams: {@code maxEventStreams}, SSE and
 * WebSocket subscriptions together), {@code unsupported} (a binary message), {@code internal}. {@code sub} is left
 * out when the message named no valid id.</li>
 * <li>{@code {"type":"dropped","sub":"a","message":"..."}}, then the connection closes with 1013: the client fell too
 * far behind the platform (or the platform lost the device log); it reconnects and resumes each subscription with the
 * {@code lastEventId} it last received.</li>
 * </ul>
 *
 * <h2>Flow</h2>
 * A slow client never slows the platform: each subscription is a bounded stream of the {@link EventHub}
 * (filled without waiting), drained by a thread of its own into the
 * connection's {@link Outbox}, which hands one message at a time to the container's asynchronous send. A client that
 * leaves a message unread for 30 s is disconnected (1013). The server pings every 30 s. When the API stops, every
 * connection is closed with 1001. Each connection is recorded in the access log when it ends (channel {@code api},
 * action {@code WS /api/v1/ws}, status 101, result {@code ok} or {@code ws_<close code>}).
 *
 * <p>Served as a JSR 356 endpoint through pax-web's whiteboard (a service with property {@value #WHITEBOARD_PROPERTY}):
 * one instance for every connection.
 */
@ServerEndpoint(WsEndpoint.PATH)
public final class WsEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WsEndpoint.class);

    /** Where the endpoint is served, in the web server's root context. */
    public static final String PATH = "/api/v1/ws";
    /** The largest message a client may send. */
    public static final int MAX_MESSAGE = 16 * 1024;
    /** The service property by which pax-web's whiteboard serves a JSR 356 endpoint. */
    public static final String WHITEBOARD_PROPERTY = "org.ops4j.pax.web.http.whiteboard.websocket";

    private static final Duration TICK = Duration.ofSeconds(30);
    private static final Duration IDLE = Duration.ofSeconds(120);
    private static final ByteBuffer PING = ByteBuffer.allocate(0);

    private final WsServices services;
    private final Map<String, WsConnection> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private volatile boolean closed;

    private final CallerCheck callers;

    public WsEndpoint(WsServices services, CallerCheck callers) {
        this.services = services;
        this.callers = callers;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "thingport-ws-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, TICK.toSeconds(), TICK.toSeconds(), TimeUnit.SECONDS);
    }

    @OnOpen
    public void open(Session session) {
        if (closed) {
            close(session, WsConnection.GOING_AWAY, "the platform's API is stopping");
            return;
        }
        if (!(session.getUserPrincipal() instanceof WsPrincipal who)) {
            // the handshake is authenticated before the upgrade; a connection without its caller is refused anyway
            close(session, WsConnection.POLICY_VIOLATION, "not authenticated");
            return;
        }
        session.setMaxTextMessageBufferSize(MAX_MESSAGE);
        session.setMaxBinaryMessageBufferSize(MAX_MESSAGE);
        session.setMaxIdleTimeout(IDLE.toMillis());
        connections.put(session.getId(), new WsConnection(who, new JsrPeer(session), services));
        if (closed) {
            shutdown(session.getId());
        }
    }

    @OnMessage(maxMessageSize = MAX_MESSAGE)
    public void text(Session session, String text) {
        WsConnection c = connections.get(session.getId());
        if (c != null) {
            c.onText(text);
        }
    }

    @OnMessage(maxMessageSize = MAX_MESSAGE)
    public void binary(Session session, ByteBuffer data) {
        WsConnection c = connections.get(session.getId());
        if (c != null) {
            c.onBinary();
        }
    }

    @OnClose
    public void closed(Session session, CloseReason reason) {
        WsConnection c = connections.remove(session.getId());
        if (c != null) {
            c.closed(reason == null ? WsConnection.NO_STATUS : reason.getCloseCode().getCode());
        }
    }

    @OnError
    public void failed(Session session, Throwable error) {
        LOG.debug("WebSocket connection {} failed", session.getId(), error);
    }

    /** The connections open now. */
    public int size() {
        return connections.size();
    }

    /** Closes every connection (1001) and stops the endpoint's threads. */
    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        for (String id : connections.keySet()) {
            shutdown(id);
        }
        services.drains().shutdownNow();
    }

    private void shutdown(String id) {
        WsConnection c = connections.remove(id);
        if (c != null) {
            c.shutdown(WsConnection.GOING_AWAY, "the platform's API is stopping");
        }
    }

    private void tick() {
        for (Map.Entry<String, WsConnection> open : connections.entrySet()) {
            WsConnection c = open.getValue();
            try {
                if (!callers.stillValid(c.caller())) {
                    connections.remove(open.getKey());
                    c.shutdown(WsConnection.POLICY_VIOLATION, "the credentials of this connection were revoked or changed");
                    continue;
                }
                c.tick();
            } catch (RuntimeException e) {
                LOG.warn("Checking a WebSocket connection failed", e);
            }
        }
    }

    private static void close(Session session, int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | IllegalStateException e) {
            LOG.debug("Closing WebSocket connection {} failed", session.getId(), e);
        }
    }

    /** A connection's network side through the JSR 356 asynchronous API: nothing here waits. */
    private record JsrPeer(Session session) implements WsConnection.Peer {
        @Override
        public void send(String text, Consumer<Throwable> done) {
            session.getAsyncRemote().sendText(text, result -> done.accept(result.isOK() ? null : result.getException()));
        }

        @Override
        public void ping() {
            try {
                session.getAsyncRemote().sendPing(PING.duplicate());
            } catch (IOException | IllegalStateException | IllegalArgumentException e) {
                LOG.debug("Pinging WebSocket connection {} failed", session.getId(), e);
            }
        }

        @Override
        public void close(int code, String reason) {
            WsEndpoint.close(session, code, reason);
        }
    }
}
