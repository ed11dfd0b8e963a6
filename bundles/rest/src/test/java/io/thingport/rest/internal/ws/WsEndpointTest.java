package io.thingport.rest.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.thingport.api.access.AccessRecord;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.events.EventHub;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.websocket.CloseReason;
import javax.websocket.OnMessage;
import javax.websocket.RemoteEndpoint;
import javax.websocket.SendHandler;
import javax.websocket.SendResult;
import javax.websocket.Session;
import javax.websocket.server.ServerEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WsEndpointTest {
    private final Fakes.Log log = new Fakes.Log();
    private final Fakes.AccessLog accessLog = new Fakes.AccessLog();
    private final EventHub hub = new EventHub(log, 64, 100);
    private final WsEndpoint endpoint = new WsEndpoint(new WsServices(hub, log, accessLog,
            Clock.fixed(Fakes.NOW, ZoneOffset.UTC), System::nanoTime, Executors.newCachedThreadPool(),
            WsServices.Limits.of(Duration.ofMinutes(60), 100)), caller -> true); // revocation: CallerChecksTest

    @AfterEach
    void stop() {
        endpoint.close();
        hub.close();
    }

    /** A container's session: remembers what it was sent, its limits and its close. */
    private static final class FakeSession {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<Object> settings = new CopyOnWriteArrayList<>();
        volatile CloseReason closed;
        final Session proxy;

        FakeSession(String id, Principal principal) {
            RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RemoteEndpoint.Async.class}, (p, m, args) -> {
                        if (m.getName().equals("sendText") && args.length == 2) {
                            sent.add((String) args[0]);
                            ((SendHandler) args[1]).onResult(new SendResult());
                            return null;
                        }
                        if (m.getName().equals("sendPing")) {
                            sent.add("PING");
                            return null;
                        }
                        throw new UnsupportedOperationException(m.getName());
                    });
            proxy = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                    (p, m, args) -> switch (m.getName()) {
                        case "getId" -> id;
                        case "getUserPrincipal" -> principal;
                        case "getAsyncRemote" -> remote;
                        case "setMaxTextMessageBufferSize", "setMaxBinaryMessageBufferSize", "setMaxIdleTimeout" -> {
                            settings.add(m.getName() + "=" + args[0]);
                            yield null;
                        }
                        case "close" -> {
                            closed = (CloseReason) args[0];
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    private static WsPrincipal alice() {
        return new WsPrincipal(new Caller("alice", Caller.USER, Role.ADMIN, Set.of()), "192.0.2.7", Fakes.NOW,
                System.nanoTime());
    }

    @Test
    void aConnectionWithoutItsAuthenticatedCallerIsClosed() {
        // Verifies that a session the handshake did not authenticate is closed with 1008 and gets no connection.
        // GIVEN a session whose principal is not the handshake's
        FakeSession session = new FakeSession("s1", () -> "mallory");

        // WHEN it opens
        endpoint.open(session.proxy);

        // THEN
        assertThat(session.closed.getCloseCode().getCode()).isEqualTo(1008);
        assertThat(endpoint.size()).isZero();
    }

    @Test
    void anAuthenticatedConnectionSpeaksTheProtocol() throws Exception {
        // Verifies that an authenticated session gets its limits, is answered, and is recorded when it closes.
        // GIVEN an authenticated session
        FakeSession session = new FakeSession("s1", alice());

        // WHEN it opens, subscribes, sends a binary message, and closes
        endpoint.open(session.proxy);
        endpoint.text(session.proxy, "{\"type\":\"sub\",\"id\":\"a\"}");
        endpoint.binary(session.proxy, ByteBuffer.allocate(3));
        assertThat(endpoint.size()).isEqualTo(1);
        endpoint.closed(session.proxy, new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"));

        // THEN
        assertThat(session.settings).contains("setMaxTextMessageBufferSize=16384", "setMaxBinaryMessageBufferSize=16384");
        assertThat(session.sent.get(0)).isEqualTo("{\"type\":\"subscribed\",\"sub\":\"a\"}");
        assertThat(session.sent.get(1)).contains("\"code\":\"unsupported\"");
        assertThat(endpoint.size()).isZero();
        Fakes.await(() -> hub.size() == 0, "the stream released");
        assertThat(accessLog.records).extracting(AccessRecord::principal, AccessRecord::result)
                .containsExactly(tuple("alice", "ok"));
    }

    @Test
    void closingTheEndpointClosesEveryConnection() {
        // Verifies that when the API stops, every connection is closed with 1001 and recorded, and new ones refused.
        // GIVEN two open connections
        FakeSession one = new FakeSession("s1", alice());
        FakeSession two = new FakeSession("s2", alice());
        endpoint.open(one.proxy);
        endpoint.open(two.proxy);
        endpoint.text(one.proxy, "{\"type\":\"sub\",\"id\":\"a\"}");

        // WHEN the endpoint closes, and a late session opens
        endpoint.close();
        FakeSession late = new FakeSession("s3", alice());
        endpoint.open(late.proxy);

        // THEN
        assertThat(one.closed.getCloseCode().getCode()).isEqualTo(1001);
        assertThat(two.closed.getCloseCode().getCode()).isEqualTo(1001);
        assertThat(late.closed.getCloseCode().getCode()).isEqualTo(1001);
        assertThat(endpoint.size()).isZero();
        assertThat(hub.size()).isZero();
        assertThat(accessLog.records).hasSize(2);
    }

    @Test
    void isAJsr356EndpointAtTheApiPathWithBoundedMessages() throws Exception {
        // Verifies the endpoint's declaration: served at /api/v1/ws, text and binary messages at most 16 KiB.
        // GIVEN / WHEN
        ServerEndpoint at = WsEndpoint.class.getAnnotation(ServerEndpoint.class);
        Method text = WsEndpoint.class.getMethod("text", Session.class, String.class);
        Method binary = WsEndpoint.class.getMethod("binary", Session.class, ByteBuffer.class);

        // THEN
        assertThat(at.value()).isEqualTo("/api/v1/ws");
        assertThat(text.getAnnotation(OnMessage.class).maxMessageSize()).isEqualTo(16 * 1024);
        assertThat(binary.getAnnotation(OnMessage.class).maxMessageSize()).isEqualTo(16 * 1024);
    }
}
