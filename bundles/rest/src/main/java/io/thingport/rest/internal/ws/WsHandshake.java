package io.thingport.rest.internal.ws;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.AccessLogService;
import io.thingport.api.access.AccessRecord;
import io.thingport.api.access.RequestSignature;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.Credentials;
import io.thingport.rest.internal.auth.RequestAuthenticator;
import io.thingport.rest.internal.http.ApiError;
import io.thingport.rest.internal.http.ApiErrors;
import io.thingport.rest.internal.http.RestJson;
import java.io.IOException;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.http.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates WebSocket handshakes to {@link WsEndpoint#PATH} before the web server upgrades them, exactly as the
 * REST API authenticates a request ({@link RequestAuthenticator}: {@code Authorization: Basic} or {@code Bearer}, or
 * the {@code X-Thingport-*} signature over {@code GET}, the path and the query with an empty body), and, for browsers
 * that cannot set headers, a bearer token in {@code ?access_token=}. A refused handshake is answered with the API's
 * error (401, 403, 429, ...) and recorded in the access log; an accepted one carries its caller to the endpoint as
 * the request's user principal ({@link WsPrincipal}).
 *
 * <p>An OSGi HTTP Whiteboard {@link Preprocessor}: it runs before the web server's filters (among them Jetty's
 * WebSocket upgrade filter) for every request, and lets all but the handshake path pass untouched. The path is
 * compared as the upgrade filter compares it (servlet path and path info, decoded), so that no spelling of it slips by.
 */
public final class WsHandshake implements Preprocessor {
    private static final Logger LOG = LoggerFactory.getLogger(WsHandshake.class);

    private final RequestAuthenticator authenticator;
    private final AccessLogService accessLog;
    private final Clock clock;

    public WsHandshake(RequestAuthenticator authenticator, AccessLogService accessLog, Clock clock) {
        this.authenticator = authenticator;
        this.accessLog = accessLog;
        this.clock = clock;
    }

    @Override
    public void init(FilterConfig config) {
        // nothing to set up
    }

    @Override
    public void destroy() {
        // nothing to release
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)
                || !WsEndpoint.PATH.equals(target(http.getServletPath(), http.getPathInfo()))) {
            chain.doFilter(request, response);
            return;
        }
        long started = System.nanoTime();
        Instant at = clock.instant();
        String source = http.getRemoteAddr();
        Caller caller = null;
        try {
            caller = authenticator.authenticate(credentials(http::getHeader, http.getMethod(), http.getRequestURI(),
                    http.getQueryString(), http.getParameter("access_token"), source));
            if (!isUpgrade(http.getMethod(), http.getHeader("Upgrade"))) {
                throw new ThingportException(ErrorCode.INVALID_ARGUMENT, WsEndpoint.PATH + " takes WebSocket "
                        + "handshakes only: GET with Upgrade: websocket");
            }
        } catch (RuntimeException e) {
            ApiError error = ApiErrors.of(e);
            if (!(e instanceof ThingportException)) {
                LOG.error("Authenticating a WebSocket handshake failed", e);
            }
            refuse(out, error);
            record(caller, source, at, started, error.status(), error.code());
            return;
        }
        WsPrincipal principal = new WsPrincipal(caller, source, at, started);
        chain.doFilter(new Authenticated(http, principal), response);
        if (out.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
            record(caller, source, at, started, out.getStatus(), "http_" + out.getStatus());
        }
    }

    /** The path as the upgrade filter matches it: the servlet path and the path info, both decoded. */
    static String target(String servletPath, String pathInfo) {
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }

    /** Whether a request asks for a WebSocket upgrade. */
    static boolean isUpgrade(String method, String upgrade) {
        return "GET".equals(method) && upgrade != null && "websocket".equalsIgnoreCase(upgrade.trim());
    }

    /**
     * What a handshake carries to prove who sent it: the headers as for any request (an empty body), and, when it has
     * neither an {@code Authorization} header nor a signature, the {@code access_token} query parameter as a bearer
     * token.
     */
    static Credentials credentials(UnaryOperator<String> header, String method, String rawPath, String rawQuery,
            String accessToken, String source) {
        String authorization = header.apply("Authorization");
        String app = header.apply(RequestSignature.HEADER_APP);
        if ((authorization == null || authorization.isBlank()) && app == null && accessToken != null
                && !accessToken.isBlank()) {
            authorization = "Bearer " + accessToken.trim();
        }
        return new Credentials(authorization, app, header.apply(RequestSignature.HEADER_TIMESTAMP),
                header.apply(RequestSignature.HEADER_NONCE), header.apply(RequestSignature.HEADER_SIGNATURE), method,
                rawPath, rawQuery == null ? "" : rawQuery, new byte[0], source);
    }

    private static void refuse(HttpServletResponse out, ApiError error) throws IOException {
        if (out.isCommitted()) {
            return;
        }
        out.resetBuffer();
        out.setStatus(error.status());
        out.setContentType("application/json");
        out.setCharacterEncoding("UTF-8");
        if (error.status() == HttpServletResponse.SC_UNAUTHORIZED) {
            out.setHeader("WWW-Authenticate", "Basic realm=\"thingport\"");
        }
        if (error.status() == 429 || error.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            out.setHeader("Retry-After", "60");
        }
        byte[] body = RestJson.MAPPER.writeValueAsBytes(error);
        out.setContentLength(body.length);
        out.getOutputStream().write(body);
        out.flushBuffer();
    }

    private void record(Caller caller, String source, Instant at, long started, int status, String result) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        accessLog.record(new AccessRecord(0, at, AccessRecord.CHANNEL_API, caller == null ? "-" : caller.name(),
                caller == null ? "anonymous" : caller.kind(), WsConnection.ACTION, source, status, result, ms));
    }

    /** The handshake with its caller as the user principal, which the upgraded connection keeps. */
    private static final class Authenticated extends HttpServletRequestWrapper {
        private final WsPrincipal principal;

        Authenticated(HttpServletRequest request, WsPrincipal principal) {
            super(request);
            this.principal = principal;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public String getRemoteUser() {
            return principal.getName();
        }

        @Override
        public String getAuthType() {
            return Caller.APPLICATION.equals(principal.caller().kind()) ? "HMAC-SHA256" : BASIC_AUTH;
        }
    }
}
