package io.thingport.api.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestSessionsTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 40000);

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Platform platform = new Platform();
    private final RequestSessions sessions = sessions("a", 100);

    private RequestSessions sessions(String component, int maxSessions) {
        return new RequestSessions(component, Transport.HTTP, platform, 4, now::get,
                new SessionTable<>(1_000, 10_000, maxSessions), false);
    }

    @AfterEach
    void close() {
        sessions.close();
    }

    /**
     * A platform stand-in that authenticates like the official protocol: password {@code sig:<n>} for client id d is
     * accepted once, when n is newer than d's last accepted login (AuthContext.recordLogin); anything else is a bad
     * signature.
     */
    static final class Platform implements TransportListener {
        final List<AuthRequest> logins = new CopyOnWriteArrayList<>();
        final List<TransportConnection> connected = new CopyOnWriteArrayList<>();
        final List<String> disconnected = new CopyOnWriteArrayList<>();
        private final Map<String, Long> lastLogin = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<AuthResult> authenticate(AuthRequest request) {
            logins.add(request);
            String password = new String(request.password(), StandardCharsets.UTF_8);
            if (!password.startsWith("sig:")) {
                return CompletableFuture.completedFuture(AuthResult.refuse(AuthFailure.BAD_SIGNATURE, request.clientId(), "bad"));
            }
            long ts = Long.parseLong(password.substring(4));
            Long before = lastLogin.get(request.clientId());
            if (before != null && ts <= before) {
                return CompletableFuture.completedFuture(AuthResult.refuse(AuthFailure.STALE_TIMESTAMP, request.clientId(), "replayed"));
            }
            lastLogin.put(request.clientId(), ts);
            return CompletableFuture.completedFuture(AuthResult.accept(request.clientId(), "p1"));
        }

        @Override
        public void connected(TransportConnection connection, AuthResult result) {
            connected.add(connection);
        }

        @Override
        public CompletionStage<Void> received(TransportConnection connection, EncodedMessage message) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean maySubscribe(TransportConnection connection, String topicFilter) {
            return false;
        }

        @Override
        public void disconnected(TransportConnection connection, String reason) {
            disconnected.add(reason);
        }
    }

    private static AuthRequest credentials(String clientId, String password) {
        return new AuthRequest(Transport.HTTP, clientId, clientId + "|x", password.getBytes(StandardCharsets.UTF_8), FROM);
    }

    private static RequestSessions.Lease done(CompletionStage<RequestSessions.Lease> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aLoginOpensASessionWhoseTokenServesLaterRequests() throws Exception {
        // Verifies login -> token -> resume: the same connection, no second login, the token only on the login's lease.
        RequestSessions.Lease login = done(sessions.login(credentials("d1", "sig:1")));
        assertThat(login.result().accepted()).isTrue();
        assertThat(login.token()).get().asString().hasSize(43);
        assertThat(platform.connected).containsExactly(login.connection());

        RequestSessions.Lease later = sessions.resume(login.token().orElseThrow(), FROM).orElseThrow();
        assertThat(later.connection()).isSameAs(login.connection());
        assertThat(later.result()).isSameAs(login.result());
        assertThat(later.token()).isEmpty();
        assertThat(platform.logins).hasSize(1);
        assertThat(sessions.size()).isEqualTo(1);
    }

    @Test
    void everyLoginGoesToTheAuthenticatorSoAReplayedOneIsRefused() throws Exception {
        // Verifies that credentials identical to an accepted login are checked again (and refused by the platform's
        // replay rule) instead of reusing the session; the session the first login opened lives on.
        RequestSessions.Lease first = done(sessions.login(credentials("d1", "sig:1")));
        RequestSessions.Lease replay = done(sessions.login(credentials("d1", "sig:1")));
        assertThat(platform.logins).hasSize(2);
        assertThat(replay.result().accepted()).isFalse();
        assertThat(replay.result().failure()).isEqualTo(AuthFailure.STALE_TIMESTAMP);
        assertThat(replay.connection()).isNull();
        assertThat(replay.token()).isEmpty();
        assertThat(sessions.resume(first.token().orElseThrow(), FROM)).isPresent();
        assertThat(platform.connected).hasSize(1);
    }

    @Test
    void deprecatedBeginIsALoginToo() throws Exception {
        // Verifies that the old entry point no longer reuses a session for the same credentials.
        @SuppressWarnings("deprecation")
        RequestSessions.Lease first = done(sessions.begin(credentials("d1", "sig:1")));
        @SuppressWarnings("deprecation")
        RequestSessions.Lease again = done(sessions.begin(credentials("d1", "sig:1")));
        assertThat(first.token()).isPresent();
        assertThat(again.result().accepted()).isFalse();
        assertThat(platform.logins).hasSize(2);
    }

    @Test
    void aNewLoginReplacesTheSessionAndKillsTheOldToken() throws Exception {
        // Verifies one session per device: the old session is reported closed, its token refused, the new one works.
        RequestSessions.Lease first = done(sessions.login(credentials("d1", "sig:1")));
        RequestSessions.Lease second = done(sessions.login(credentials("d1", "sig:2")));
        assertThat(second.token()).isNotEqualTo(first.token());
        assertThat(first.connection().isOpen()).isFalse();
        assertThat(platform.disconnected).containsExactly("replaced by a new login");
        assertThat(sessions.resume(first.token().orElseThrow(), FROM)).isEmpty();
        assertThat(sessions.resume(second.token().orElseThrow(), FROM).orElseThrow().connection()).isSameAs(second.connection());
        assertThat(sessions.size()).isEqualTo(1);
    }

    @Test
    void idleAndExpiredSessionsAreRefusedAndClosed() throws Exception {
        // Verifies both lifetimes with a moved clock: the token is refused as soon as the session has ended, and the
        // sweep reports the device disconnected with the reason.
        String idle = done(sessions.login(credentials("d1", "sig:1"))).token().orElseThrow();
        now.addAndGet(1_000);
        assertThat(sessions.resume(idle, FROM)).isEmpty();
        sessions.sweep();
        assertThat(platform.disconnected).containsExactly("no request for 1.0 s");

        String busy = done(sessions.login(credentials("d2", "sig:1"))).token().orElseThrow();
        for (int i = 0; i < 19; i++) {
            now.addAndGet(500);
            assertThat(sessions.resume(busy, FROM)).isPresent();
        }
        now.addAndGet(500);
        assertThat(sessions.resume(busy, FROM)).isEmpty();
        sessions.sweep();
        assertThat(platform.disconnected).containsExactly("no request for 1.0 s", "session lifetime of 10.0 s over");
        assertThat(sessions.size()).isZero();
    }

    @Test
    void aTokenIsBoundToItsComponent() throws Exception {
        // Verifies that a token of component a is unknown on component b (and a guess is unknown everywhere).
        try (RequestSessions other = sessions("b", 100)) {
            String token = done(sessions.login(credentials("d1", "sig:1"))).token().orElseThrow();
            assertThat(other.resume(token, FROM)).isEmpty();
            assertThat(sessions.resume(token, FROM)).isPresent();
            assertThat(sessions.resume(token.substring(1) + "A", FROM)).isEmpty();
            assertThat(sessions.resume(null, FROM)).isEmpty();
        }
    }

    @Test
    void refusedLoginsOpenNothing() throws Exception {
        // Verifies that a refused login holds no entry, so a peer without valid credentials cannot grow the table.
        for (int i = 0; i < 50; i++) {
            assertThat(done(sessions.login(credentials("d" + i, "wrong"))).connection()).isNull();
        }
        assertThat(sessions.size()).isZero();
        assertThat(platform.connected).isEmpty();
    }

    @Test
    void theSessionsOfAComponentAreBounded() throws Exception {
        // Verifies the bound: a login beyond it fails TOO_LARGE (the component answers "unavailable"); ended sessions
        // are swept to make room first.
        try (RequestSessions small = sessions("small", 2)) {
            done(small.login(credentials("d1", "sig:1")));
            done(small.login(credentials("d2", "sig:1")));
            assertThat(small.login(credentials("d3", "sig:1")).toCompletableFuture())
                    .failsWithin(5, TimeUnit.SECONDS).withThrowableThat().havingRootCause()
                    .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
            now.addAndGet(1_000);
            assertThat(done(small.login(credentials("d3", "sig:2"))).token()).isPresent();
            assertThat(small.size()).isEqualTo(1);
        }
    }

    @Test
    void downlinksWaitInTheSessionForTheNextRequest() throws Exception {
        // Verifies the bounded queue and that a resumed lease drains what was sent since.
        RequestSessions.Lease login = done(sessions.login(credentials("d1", "sig:1")));
        TransportConnection c = login.connection();
        for (int i = 0; i < 4; i++) {
            c.send(EncodedMessage.of("/t", "m" + i)).toCompletableFuture().get(1, TimeUnit.SECONDS);
        }
        assertThat(c.send(EncodedMessage.of("/t", "m4")).toCompletableFuture())
                .failsWithin(1, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("4 downlinks already wait");
        assertThat(sessions.resume(login.token().orElseThrow(), FROM).orElseThrow().drain()).hasSize(4);
        assertThat(login.drain()).isEmpty();
    }

    @Test
    void closeEndsEverySession() throws Exception {
        // Verifies close(): every session reported once with the component's reason; tokens and logins refused after.
        String token = done(sessions.login(credentials("d1", "sig:1"))).token().orElseThrow();
        done(sessions.login(credentials("d2", "sig:1")));
        sessions.close();
        assertThat(platform.disconnected).containsExactly("network component a stopped", "network component a stopped");
        assertThat(sessions.resume(token, FROM)).isEmpty();
        assertThat(sessions.login(credentials("d3", "sig:1")).toCompletableFuture()).isCompletedExceptionally();
    }
}
