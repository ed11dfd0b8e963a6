package io.thingport.network.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a request asks the platform for, from its method, target and headers: the topic of its message (or the reply
 * that refuses it), whether it logs in (its credential headers and client certificate) or presents a session token,
 * and the headers of the {@link EncodedMessage}. Pure functions.
 */
final class HttpRequests {
    static final String CLIENT_ID = "X-Client-Id";
    static final String USERNAME = "X-Username";
    static final String PASSWORD = "X-Password";
    static final String SESSION_TOKEN = "X-Session-Token";

    /** How a request identifies its device: {@link Login}, {@link Token} or {@link Missing}. */
    sealed interface Presented permits Login, Token, Missing {
    }

    /** A login: credential headers, or a verified client certificate without a token. */
    record Login(AuthRequest request) implements Presented {
    }

    /** A session token (from a login's response) and no credential header. */
    record Token(String token) implements Presented {
    }

    /** Neither usable credentials nor a token: answered 401 without asking the platform. */
    record Missing() implements Presented {
    }

    private HttpRequests() {
    }

    /**
     * Where a request goes: a topic (POST sends a message to it, GET polls), or a refusal.
     *
     * @param topic   the topic when the request is accepted, else {@code null}
     * @param refusal the reply when it is refused, else {@code null}
     */
    record Route(String topic, HttpReply refusal) {
        boolean refused() {
            return refusal != null;
        }
    }

    /** The route of a request: {@code 405} for a method other than GET and POST, {@code 404} outside {@code prefix}. */
    static Route route(HttpMethod method, String uri, String prefix) {
        if (!HttpMethod.POST.equals(method) && !HttpMethod.GET.equals(method)) {
            return new Route(null, HttpReply.methodNotAllowed(method));
        }
        String topic = topic(uri, prefix);
        return topic == null ? new Route(null, HttpReply.notFound(prefix)) : new Route(topic, null);
    }

    /**
     * The topic for a request target: its percent-decoded path (an absolute URI's path) without the query string and
     * without {@code prefix}; {@code null} when the path is outside {@code prefix} or cannot be parsed.
     */
    static String topic(String uri, String prefix) {
        String path;
        try {
            String target = uri;
            if (target.startsWith("http://") || target.startsWith("https://")) {
                URI parsed = URI.create(target);
                target = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
            }
            path = new QueryStringDecoder(target).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!path.startsWith("/")) {
            return null;
        }
        if (prefix.isEmpty()) {
            return path;
        }
        if (path.equals(prefix) || path.startsWith(prefix + "/")) {
            return path.substring(prefix.length());
        }
        return null;
    }

    /** The declared Content-Length, or -1 when absent or not a number. */
    static long contentLength(HttpRequest request) {
        try {
            return HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }

    /**
     * How a request identifies its device. Any credential header makes it a login (credentials always log in again:
     * the platform refuses a replayed one); without any, a non-empty {@code X-Session-Token} presents a session; without
     * either, a client certificate the TLS handshake verified logs in; otherwise nothing usable was sent.
     */
    static Presented presented(HttpHeaders headers, List<X509Certificate> certificates, InetSocketAddress remote) {
        boolean credentials = headers.contains(CLIENT_ID) || headers.contains(USERNAME) || headers.contains(PASSWORD);
        String token = header(headers, SESSION_TOKEN);
        if (!credentials && token != null && !token.isEmpty()) {
            return new Token(token);
        }
        Optional<AuthRequest> login = login(headers, certificates, remote);
        return login.isPresent() ? new Login(login.get()) : new Missing();
    }

    /**
     * The login of a request: its credential headers (UTF-8), with the client certificate chain the TLS handshake
     * verified. Empty when there is no certificate and a header is missing (or {@code X-Client-Id} is empty).
     */
    static Optional<AuthRequest> login(HttpHeaders headers, List<X509Certificate> certificates, InetSocketAddress remote) {
        String clientId = header(headers, CLIENT_ID);
        String username = header(headers, USERNAME);
        byte[] password = rawHeader(headers, PASSWORD);
        if (certificates.isEmpty() && (clientId == null || clientId.isEmpty() || username == null || password == null)) {
            return Optional.empty();
        }
        AuthRequest request = new AuthRequest(Transport.HTTP, clientId, username, password, remote);
        return Optional.of(certificates.isEmpty() ? request : request.withCertificates(certificates));
    }

    /** The headers of the message the platform receives: its content type, when the request has one. */
    static Map<String, String> messageHeaders(HttpHeaders headers) {
        return headers.contains(HttpHeaderNames.CONTENT_TYPE)
                ? Map.of("content-type", headers.get(HttpHeaderNames.CONTENT_TYPE)) : Map.of();
    }

    /** The raw bytes of a header (Netty keeps one char per byte), or {@code null} when absent. */
    private static byte[] rawHeader(HttpHeaders headers, String name) {
        String value = headers.get(name);
        return value == null ? null : value.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A header decoded as UTF-8, or {@code null} when absent. */
    private static String header(HttpHeaders headers, String name) {
        byte[] raw = rawHeader(headers, name);
        return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
    }
}
