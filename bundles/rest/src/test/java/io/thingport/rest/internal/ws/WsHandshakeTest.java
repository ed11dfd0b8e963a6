package io.thingport.rest.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.AccessRecord;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.CreatedApplication;
import io.thingport.api.access.NewApplication;
import io.thingport.api.access.RequestSignature;
import io.thingport.api.access.Role;
import io.thingport.api.access.SignedRequest;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.Credentials;
import io.thingport.rest.internal.auth.LoginThrottle;
import io.thingport.rest.internal.auth.RequestAuthenticator;
import io.thingport.rest.internal.auth.TokenStore;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.servlet.ServletOutputStream;
import javax.servlet.ServletRequest;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

class WsHandshakeTest {
    private static final String PASSWORD = "correct horse";

    private final Fakes.AccessLog accessLog = new Fakes.AccessLog();
    private final TokenStore tokens = new TokenStore(100, 4);
    private final Clock clock = Clock.fixed(Fakes.NOW, ZoneOffset.UTC);
    private final RequestAuthenticator authenticator = new RequestAuthenticator(new Applications(),
            (user, password) -> "alice".equals(user) && PASSWORD.equals(password) ? Optional.of(Set.of("viewer"))
                    : Optional.empty(),
            tokens, new LoginThrottle(Duration.ofMinutes(5), 10, 50, 1000), clock);
    private final WsHandshake handshake = new WsHandshake(authenticator, accessLog, clock);

    /** An application service that knows application app1 (secret s3cret), viewer of product p1. */
    private static final class Applications implements ApplicationService {
        @Override
        public ApplicationInfo verify(SignedRequest r, Instant now) {
            String expected = RequestSignature.hmac("s3cret", RequestSignature.canonical(r.method(), r.path(), r.query(),
                    r.bodySha256(), r.timestamp(), r.nonce()));
            if (!"app1".equals(r.applicationId()) || !expected.equals(r.signature())) {
                throw new ThingportException(ErrorCode.UNAUTHENTICATED, "bad signature");
            }
            return new ApplicationInfo("app1", "App 1", Role.VIEWER, Set.of("p1"), List.of(), null, now, null, false);
        }

        @Override
        public CreatedApplication create(NewApplication application) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ApplicationInfo> list() {
            return List.of();
        }

        @Override
        public Optional<ApplicationInfo> find(String id) {
            return Optional.empty();
        }

        @Override
        public CreatedApplication rotate(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApplicationInfo revoke(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String id) {
            throw new UnsupportedOperationException();
        }
    }

    /** A request as the web server hands it over: servlet path, path info, method, URI, query, headers. */
    private static HttpServletRequest request(String servletPath, String pathInfo, String method, String uri,
            String query, Map<String, String> headers) {
        Map<String, String> params = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return (HttpServletRequest) Proxy.newProxyInstance(WsHandshakeTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getServletPath" -> servletPath;
                    case "getPathInfo" -> pathInfo;
                    case "getMethod" -> method;
                    case "getRequestURI" -> uri;
                    case "getQueryString" -> query;
                    case "getHeader" -> headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase((String) args[0]))
                            .map(Map.Entry::getValue).findFirst().orElse(null);
                    case "getParameter" -> params.get((String) args[0]);
                    case "getRemoteAddr" -> "192.0.2.7";
                    case "getUserPrincipal" -> null;
                    case "toString" -> "request " + uri;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static Map<String, String> upgrade(String... more) {
        Map<String, String> h = new HashMap<>(Map.of("Upgrade", "websocket", "Connection", "Upgrade"));
        for (int i = 0; i < more.length; i += 2) {
            h.put(more[i], more[i + 1]);
        }
        return h;
    }

    /** A response that remembers its status, headers and body; status 101 once the chain "upgrades". */
    private static final class Response {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final HttpServletResponse proxy = (HttpServletResponse) Proxy.newProxyInstance(
                WsHandshakeTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> status = (Integer) args[0];
                        case "getStatus" -> {
                            return status;
                        }
                        case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                        case "isCommitted" -> {
                            return false;
                        }
                        case "getOutputStream" -> {
                            return new ServletOutputStream() {
                                @Override
                                public void write(int b) {
                                    body.write(b);
                                }

                                @Override
                                public boolean isReady() {
                                    return true;
                                }

                                @Override
                                public void setWriteListener(WriteListener listener) {
                                    // not used
                                }
                            };
                        }
                        case "setCharacterEncoding", "setContentLength", "resetBuffer", "flushBuffer" -> {
                            return null;
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    }
                    return null;
                });

        String body() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aHandshakeWithoutCredentialsIsRefusedBeforeTheUpgrade() throws Exception {
        // Verifies that a handshake without credentials gets 401 with the API's error, never reaches the upgrade,
        // and is recorded.
        // GIVEN a handshake without credentials
        HttpServletRequest req = request("/api", "/v1/ws", "GET", "/api/v1/ws", null, upgrade());
        Response res = new Response();
        AtomicReference<ServletRequest> passed = new AtomicReference<>();

        // WHEN it is preprocessed
        handshake.doFilter(req, res.proxy, (rq, rs) -> passed.set(rq));

        // THEN
        assertThat(passed.get()).isNull();
        assertThat(res.status).isEqualTo(401);
        assertThat(res.headers).containsEntry("WWW-Authenticate", "Basic realm=\"thingport\"");
        assertThat(res.body()).startsWith("{\"code\":\"unauthenticated\",\"message\":\"no credentials");
        assertThat(accessLog.records).singleElement().satisfies(r -> {
            assertThat(r.principal()).isEqualTo("-");
            assertThat(r.kind()).isEqualTo("anonymous");
            assertThat(r.action()).isEqualTo("WS /api/v1/ws");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.result()).isEqualTo("unauthenticated");
            assertThat(r.source()).isEqualTo("192.0.2.7");
        });
    }

    @Test
    void anAuthenticatedHandshakeCarriesItsCallerToTheUpgrade() throws Exception {
        // Verifies that a handshake with a right password is passed on with its caller as the user principal.
        // GIVEN a handshake with Basic credentials, which the chain "upgrades"
        HttpServletRequest req = request("/api", "/v1/ws", "GET", "/api/v1/ws", null,
                upgrade("Authorization", basic("alice", PASSWORD)));
        Response res = new Response();
        AtomicReference<ServletRequest> passed = new AtomicReference<>();

        // WHEN it is preprocessed
        handshake.doFilter(req, res.proxy, (rq, rs) -> {
            passed.set(rq);
            res.status = 101;
        });

        // THEN the upgrade sees alice; nothing is recorded yet (the connection is, when it ends)
        HttpServletRequest upgraded = (HttpServletRequest) passed.get();
        assertThat(upgraded.getUserPrincipal()).isInstanceOfSatisfying(WsPrincipal.class, p -> {
            assertThat(p.caller()).isEqualTo(new Caller("alice", Caller.USER, Role.VIEWER, Set.of()));
            assertThat(p.source()).isEqualTo("192.0.2.7");
            assertThat(p.startedAt()).isEqualTo(Fakes.NOW);
        });
        assertThat(upgraded.getRemoteUser()).isEqualTo("alice");
        assertThat(accessLog.records).isEmpty();
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        // Verifies that wrong Basic credentials are refused with 401.
        // GIVEN
        HttpServletRequest req = request("/api", "/v1/ws", "GET", "/api/v1/ws", null,
                upgrade("Authorization", basic("alice", "wrong")));
        Response res = new Response();

        // WHEN
        handshake.doFilter(req, res.proxy, (rq, rs) -> res.status = 101);

        // THEN
        assertThat(res.status).isEqualTo(401);
        assertThat(res.body()).contains("wrong user name or password");
    }

    @Test
    void aBrowserPassesABearerTokenInTheQuery() throws Exception {
        // Verifies that ?access_token= authenticates like Authorization: Bearer, and an unknown token is refused.
        // GIVEN a token issued to alice
        String token = tokens.issue(new Caller("alice", Caller.USER, Role.OPERATOR, Set.of()), Duration.ofMinutes(5),
                Fakes.NOW);
        AtomicReference<ServletRequest> passed = new AtomicReference<>();

        // WHEN handshakes carry it, and a made-up one, in the query
        Response ok = new Response();
        handshake.doFilter(request("/api", "/v1/ws", "GET", "/api/v1/ws", "access_token=" + token, upgrade()), ok.proxy,
                (rq, rs) -> passed.set(rq));
        Response refused = new Response();
        handshake.doFilter(request("/api", "/v1/ws", "GET", "/api/v1/ws", "access_token=tpt_nope", upgrade()),
                refused.proxy, (rq, rs) -> passed.set(null));

        // THEN
        assertThat(((WsPrincipal) ((HttpServletRequest) passed.get()).getUserPrincipal()).caller().role())
                .isEqualTo(Role.OPERATOR);
        assertThat(refused.status).isEqualTo(401);
        assertThat(refused.body()).contains("unknown or expired");
    }

    @Test
    void anApplicationSignsTheHandshake() throws Exception {
        // Verifies that an application's signature over GET, the path, the query and an empty body authenticates it.
        // GIVEN a handshake signed by app1
        String ts = "1764756000000";
        String nonce = "n0nce-n0nce-n0nce";
        String signature = RequestSignature.sign("s3cret", "GET", "/api/v1/ws", "x=1", new byte[0], ts, nonce);
        HttpServletRequest req = request("/api", "/v1/ws", "GET", "/api/v1/ws", "x=1", upgrade(
                RequestSignature.HEADER_APP, "app1", RequestSignature.HEADER_TIMESTAMP, ts,
                RequestSignature.HEADER_NONCE, nonce, RequestSignature.HEADER_SIGNATURE, signature));
        AtomicReference<ServletRequest> passed = new AtomicReference<>();

        // WHEN
        handshake.doFilter(req, new Response().proxy, (rq, rs) -> passed.set(rq));

        // THEN
        Caller caller = ((WsPrincipal) ((HttpServletRequest) passed.get()).getUserPrincipal()).caller();
        assertThat(caller.name()).isEqualTo("app1");
        assertThat(caller.kind()).isEqualTo(Caller.APPLICATION);
        assertThat(caller.products()).containsExactly("p1");
    }

    @Test
    void aRequestToThePathThatIsNoHandshakeIsRefused() throws Exception {
        // Verifies that an authenticated request to the path without Upgrade: websocket gets 400 and is recorded.
        // GIVEN
        HttpServletRequest req = request("/api", "/v1/ws", "GET", "/api/v1/ws", null,
                Map.of("Authorization", basic("alice", PASSWORD)));
        Response res = new Response();

        // WHEN
        handshake.doFilter(req, res.proxy, (rq, rs) -> res.status = 404);

        // THEN
        assertThat(res.status).isEqualTo(400);
        assertThat(res.body()).contains("takes WebSocket handshakes only");
        assertThat(accessLog.records).extracting(AccessRecord::principal, AccessRecord::status).containsExactly(
                tuple("alice", 400));
    }

    @Test
    void otherPathsPassUntouched() throws Exception {
        // Verifies that every other request passes as it came, whatever its credentials.
        // GIVEN requests to other paths, one of them a handshake
        HttpServletRequest rest = request("/api", "/v1/devices", "GET", "/api/v1/devices", null, Map.of());
        HttpServletRequest other = request("/api", "/v1/ws/x", "GET", "/api/v1/ws/x", null, upgrade());
        AtomicReference<ServletRequest> passed = new AtomicReference<>();

        // WHEN / THEN
        handshake.doFilter(rest, new Response().proxy, (rq, rs) -> passed.set(rq));
        assertThat(passed.get()).isSameAs(rest);
        handshake.doFilter(other, new Response().proxy, (rq, rs) -> passed.set(rq));
        assertThat(passed.get()).isSameAs(other);
        assertThat(accessLog.records).isEmpty();
    }

    @Test
    void thePathIsComparedDecodedAsTheUpgradeFilterSeesIt() throws Exception {
        // Verifies that an encoded spelling of the path (/api/v1/%77s) is authenticated like the plain one.
        // GIVEN the servlet path and path info decoded by the web server, the URI as sent
        HttpServletRequest req = request("/api", "/v1/ws", "GET", "/api/v1/%77s", null, upgrade());
        Response res = new Response();

        // WHEN
        handshake.doFilter(req, res.proxy, (rq, rs) -> res.status = 101);

        // THEN
        assertThat(res.status).isEqualTo(401);
        assertThat(WsHandshake.target("/api/v1/ws", null)).isEqualTo(WsEndpoint.PATH);
        assertThat(WsHandshake.target("", "/api/v1/ws")).isEqualTo(WsEndpoint.PATH);
    }

    @Test
    void credentialsOfAHandshake() {
        // Verifies what a handshake's credentials are: headers as sent, an empty body, the token only without headers.
        // GIVEN / WHEN
        Credentials token = WsHandshake.credentials(h -> null, "GET", "/api/v1/ws", "access_token=t", "t", "s");
        Credentials header = WsHandshake.credentials(h -> "Authorization".equals(h) ? "Basic x" : null, "GET",
                "/api/v1/ws", "access_token=t", "t", "s");
        Credentials signed = WsHandshake.credentials(h -> h.equals(RequestSignature.HEADER_APP) ? "app1" : null, "GET",
                "/api/v1/ws", null, "t", "s");

        // THEN
        assertThat(token.authorization()).isEqualTo("Bearer t");
        assertThat(token.query()).isEqualTo("access_token=t");
        assertThat(token.body()).isEmpty();
        assertThat(token.path()).isEqualTo("/api/v1/ws");
        assertThat(header.authorization()).isEqualTo("Basic x");
        assertThat(signed.authorization()).isNull();
        assertThat(signed.appId()).isEqualTo("app1");
        assertThat(signed.query()).isEmpty();
    }

    @Test
    void whatCountsAsAnUpgrade() {
        // Verifies that only a GET with Upgrade: websocket (any case) is a handshake.
        // GIVEN / WHEN / THEN
        assertThat(WsHandshake.isUpgrade("GET", "websocket")).isTrue();
        assertThat(WsHandshake.isUpgrade("GET", " WebSocket ")).isTrue();
        assertThat(WsHandshake.isUpgrade("POST", "websocket")).isFalse();
        assertThat(WsHandshake.isUpgrade("GET", "h2c")).isFalse();
        assertThat(WsHandshake.isUpgrade("GET", null)).isFalse();
    }
}
