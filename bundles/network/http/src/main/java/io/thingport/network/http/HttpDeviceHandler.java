package io.thingport.network.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.thingport.api.network.ResponseBodies;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.RequestSessions;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import io.thingport.network.netty.NettyTls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection of the HTTP server. Requests are read as they arrive (body bounded by {@code maxMessageLength}),
 * each one logs in through the {@link RequestSessions} and goes to the platform, and the responses are written in the
 * order of the requests (pipelining) when their stages complete. All state is confined to the channel's event loop;
 * stages completing on other threads hand their results back to it.
 */
final class HttpDeviceHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDeviceHandler.class);
    static final String CLIENT_ID = "X-Client-Id";
    static final String USERNAME = "X-Username";
    static final String PASSWORD = "X-Password";
    /** How long the rest of a refused body is read (and dropped) after the 413, so the client sees the response. */
    private static final long LINGER_MILLIS = 2000;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Channel channel;
    private final String componentId;
    private final HttpServerSettings settings;
    private final RequestSessions sessions;
    private final TransportListener listener;
    /** Requests whose response is not written yet, in arrival order. */
    private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>();
    /** The request whose body is being read, or {@code null}. */
    private Exchange reading;
    /** A request that ends the connection was read: whatever follows is dropped. */
    private boolean acceptNoMore;
    /** The last response was written; the connection closes. */
    private boolean closing;
    /** After a 413: reading and dropping the rest of the body until it ends or the linger time is over. */
    private boolean lingering;
    private List<X509Certificate> peerCertificates;
    /** Completes when the last login started on this connection has been checked. */
    private CompletableFuture<Void> lastLogin = CompletableFuture.completedFuture(null);

    /** One request and, once known, its response. */
    private final class Exchange {
        final HttpVersion version;
        final HttpMethod method;
        final HttpHeaders headers;
        String topic = "";
        ByteBuf body;
        byte[] payload = new byte[0];
        boolean bodyComplete;
        boolean discarding;
        boolean expectContinue;
        boolean needsContinue;
        boolean continueSent;
        boolean closeAfter;
        boolean started;
        boolean ready;
        HttpResponseStatus status;
        String json;
        String allow;
        /** Set for a 200: the downlinks are taken from it when the response is written. */
        RequestSessions.Lease lease;

        Exchange(HttpVersion version, HttpMethod method, HttpHeaders headers) {
            this.version = version;
            this.method = method;
            this.headers = headers;
        }

        void respond(HttpResponseStatus status, String code, String message) {
            this.status = status;
            this.json = ResponseBodies.error(code, message);
            this.ready = true;
        }

        void respondDownlinks(RequestSessions.Lease lease) {
            this.status = HttpResponseStatus.OK;
            this.lease = lease;
            this.ready = true;
        }

        void releaseBody() {
            if (body != null) {
                body.release();
                body = null;
            }
        }
    }

    HttpDeviceHandler(Channel channel, String componentId, HttpServerSettings settings, RequestSessions sessions,
                      TransportListener listener) {
        this.channel = channel;
        this.componentId = componentId;
        this.settings = settings;
        this.sessions = sessions;
        this.listener = listener;
    }

    // ------------------------------------------------------------------ inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
                malformed(o.decoderResult().cause());
            } else {
                if (msg instanceof HttpRequest r) {
                    onRequest(r);
                }
                if (msg instanceof HttpContent c) {
                    onContent(c);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        pump();
    }

    private void onRequest(HttpRequest request) {
        if (acceptNoMore) {
            return;
        }
        Exchange ex = new Exchange(request.protocolVersion(), request.method(), request.headers());
        exchanges.add(ex);
        reading = ex;
        if (!HttpUtil.isKeepAlive(request)) {
            ex.closeAfter = true;
            acceptNoMore = true;
        }
        boolean expectContinue = HttpUtil.is100ContinueExpected(request);
        ex.expectContinue = expectContinue;
        if (!HttpMethod.POST.equals(request.method()) && !HttpMethod.GET.equals(request.method())) {
            ex.allow = "GET, POST";
            ex.respond(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "method " + request.method()
                    + " is not supported: POST <path>/<topic> sends a message, GET polls for downlinks");
            ex.discarding = true;
        } else {
            String topic = topic(request.uri());
            if (topic == null) {
                ex.respond(HttpResponseStatus.NOT_FOUND, "not_found", "the path must start with "
                        + (settings.path().isEmpty() ? "/" : settings.path() + "/"));
                ex.discarding = true;
            } else {
                ex.topic = topic;
            }
        }
        long length;
        try {
            length = HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            length = -1L;
        }
        if (length > settings.maxMessageLength()) {
            tooLarge(ex, "Content-Length " + length);
        } else if (expectContinue) {
            if (ex.ready) {
                // Answered without the body: the client may or may not send it, so this connection cannot go on.
                ex.closeAfter = true;
                acceptNoMore = true;
            } else {
                ex.needsContinue = true;
            }
        }
    }

    private void onContent(HttpContent content) {
        Exchange ex = reading;
        if (ex == null) {
            return;
        }
        if (!ex.discarding) {
            ByteBuf data = content.content();
            int size = ex.body == null ? 0 : ex.body.readableBytes();
            if ((long) size + data.readableBytes() > settings.maxMessageLength()) {
                tooLarge(ex, "the body");
            } else if (data.isReadable()) {
                if (ex.body == null) {
                    ex.body = channel.alloc().buffer(Math.min(settings.maxMessageLength(), Math.max(256, data.readableBytes())));
                }
                ex.body.writeBytes(data);
            }
        }
        if (content instanceof LastHttpContent) {
            ex.bodyComplete = true;
            reading = null;
            if (ex.body != null) {
                ex.payload = ByteBufUtil.getBytes(ex.body);
                ex.releaseBody();
            }
            if (lingering) {
                channel.close();
            }
        }
    }

    private void tooLarge(Exchange ex, String what) {
        ex.releaseBody();
        ex.discarding = true;
        ex.closeAfter = true;
        acceptNoMore = true;
        ex.allow = null;
        ex.respond(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", what + " exceeds maxMessageLength "
                + settings.maxMessageLength() + " bytes");
        LOG.info("network component {}: refused a request from {}: {} exceeds maxMessageLength {} bytes", componentId,
                channel.remoteAddress(), what, settings.maxMessageLength());
    }

    private void malformed(Throwable cause) {
        if (acceptNoMore && reading == null) {
            return;
        }
        Exchange ex = reading;
        if (ex == null) {
            ex = new Exchange(HttpVersion.HTTP_1_1, HttpMethod.GET, null);
            exchanges.add(ex);
        }
        reading = null;
        ex.releaseBody();
        ex.discarding = true;
        ex.bodyComplete = true;
        ex.closeAfter = true;
        ex.needsContinue = false;
        ex.expectContinue = false;
        acceptNoMore = true;
        String why = cause == null ? "malformed request" : cause.getMessage();
        ex.respond(HttpResponseStatus.BAD_REQUEST, "malformed", "malformed HTTP request: " + why);
        LOG.debug("network component {}: malformed HTTP from {}: {}", componentId, channel.remoteAddress(), why);
    }

    /** The topic for a request target, or {@code null} when it is outside the configured path prefix. */
    private String topic(String uri) {
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
        String prefix = settings.path();
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

    // ------------------------------------------------------------------ processing

    /** Starts what can start, writes the responses that are due in order, and sets reading on or off. */
    private void pump() {
        if (closing || !channel.isActive()) {
            return;
        }
        int active = 0;
        for (Exchange ex : exchanges) {
            if (ex.started && !ex.ready) {
                active++;
            }
        }
        for (Exchange ex : exchanges) {
            if (active >= settings.maxInflight()) {
                break;
            }
            if (!ex.started && ex.bodyComplete) {
                start(ex);
                if (!ex.ready) {
                    active++;
                }
            }
        }
        boolean wrote = false;
        while (!exchanges.isEmpty()) {
            Exchange head = exchanges.peekFirst();
            if (head.ready && (head.bodyComplete || head.closeAfter)) {
                exchanges.pollFirst();
                ChannelFuture written = write(head);
                wrote = true;
                if (head.closeAfter) {
                    closing = true;
                    if (reading == null || (head.expectContinue && !head.continueSent)) {
                        // Nothing more to read, or the client waits for 100 Continue and will not send the body.
                        written.addListener(ChannelFutureListener.CLOSE);
                    } else {
                        lingering = true;
                        channel.eventLoop().schedule(() -> {
                            channel.close();
                        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
                    }
                    break;
                }
            } else {
                if (head.needsContinue && !head.continueSent && !head.ready) {
                    head.continueSent = true;
                    // Written below the codec: an interim response must not consume the codec's request bookkeeping.
                    channel.pipeline().context("codec").write(Unpooled.wrappedBuffer(CONTINUE));
                    wrote = true;
                }
                break;
            }
        }
        if (wrote) {
            channel.flush();
        }
        channel.config().setAutoRead(lingering || (!closing && exchanges.size() < settings.maxInflight()));
    }

    private void start(Exchange ex) {
        ex.started = true;
        if (ex.ready) {
            return;
        }
        List<X509Certificate> certificates = peerCertificates();
        String clientId = header(ex.headers, CLIENT_ID);
        String username = header(ex.headers, USERNAME);
        byte[] password = rawHeader(ex.headers, PASSWORD);
        if (certificates.isEmpty() && (clientId == null || clientId.isEmpty() || username == null || password == null)) {
            ex.respond(HttpResponseStatus.UNAUTHORIZED, "malformed_credentials", "send the headers " + CLIENT_ID + ", "
                    + USERNAME + " and " + PASSWORD + " (or a client certificate) with every request");
            return;
        }
        AuthRequest request = new AuthRequest(Transport.HTTP, clientId, username, password,
                (InetSocketAddress) channel.remoteAddress());
        if (!certificates.isEmpty()) {
            request = request.withCertificates(certificates);
        }
        // Logins of one connection run one after the other: pipelined first requests of a device open one session.
        AuthRequest login = request;
        CompletableFuture<Void> previous = lastLogin;
        CompletableFuture<Void> done = new CompletableFuture<>();
        lastLogin = done;
        Runnable begin = () -> {
            CompletionStage<RequestSessions.Lease> stage;
            try {
                stage = sessions.begin(login);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((lease, error) -> {
                done.complete(null);
                onLoop(() -> loggedIn(ex, lease, error));
            });
        };
        if (previous.isDone()) {
            begin.run();
        } else {
            previous.whenComplete((ignored, error) -> onLoop(begin));
        }
    }

    private void loggedIn(Exchange ex, RequestSessions.Lease lease, Throwable error) {
        if (error != null) {
            Throwable cause = unwrap(error);
            LOG.warn("network component {}: the login of a request from {} could not be checked: {}", componentId,
                    channel.remoteAddress(), cause.toString());
            ex.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the login could not be checked: "
                    + cause.getMessage());
        } else if (!lease.result().accepted()) {
            AuthResult result = lease.result();
            AuthFailure failure = result.failure();
            HttpResponseStatus status = failure != null && failure.badCredentials()
                    ? HttpResponseStatus.UNAUTHORIZED : HttpResponseStatus.FORBIDDEN;
            String code = failure == null ? "not_authorized" : failure.name().toLowerCase(Locale.ROOT);
            ex.respond(status, code, result.detail());
        } else if (HttpMethod.GET.equals(ex.method)) {
            ex.respondDownlinks(lease);
        } else if (!channel.isActive()) {
            // The device went away before its message could be handed over: it did not get an answer, so it resends.
            return;
        } else {
            TransportConnection connection = lease.connection();
            Map<String, String> headers = ex.headers.contains(HttpHeaderNames.CONTENT_TYPE)
                    ? Map.of("content-type", ex.headers.get(HttpHeaderNames.CONTENT_TYPE)) : Map.of();
            EncodedMessage message = new EncodedMessage(ex.topic, ex.payload, headers);
            ex.payload = null;
            CompletionStage<Void> stored;
            try {
                stored = listener.received(connection, message);
            } catch (RuntimeException e) {
                stored = CompletableFuture.failedFuture(e);
            }
            stored.whenComplete((ok, failure) -> onLoop(() -> stored(ex, lease, failure)));
            return;
        }
        pump();
    }

    private void stored(Exchange ex, RequestSessions.Lease lease, Throwable error) {
        if (error == null) {
            ex.respondDownlinks(lease);
        } else {
            Throwable cause = unwrap(error);
            if (cause instanceof ThingportException te && te.code() == ErrorCode.FORBIDDEN) {
                ex.respond(HttpResponseStatus.FORBIDDEN, "forbidden", te.getMessage());
            } else {
                LOG.debug("network component {}: the platform could not store a message of {}: {}", componentId,
                        lease.connection().id(), cause.toString());
                ex.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the platform could not store the message: "
                        + cause.getMessage());
            }
        }
        pump();
    }

    private ChannelFuture write(Exchange ex) {
        List<EncodedMessage> downlinks = ex.lease == null ? List.of() : ex.lease.drain();
        String json = ex.lease == null ? ex.json : ResponseBodies.downlinks(downlinks);
        FullHttpResponse response = new DefaultFullHttpResponse(ex.version, ex.status,
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (ex.allow != null) {
            h.set(HttpHeaderNames.ALLOW, ex.allow);
        }
        if (ex.closeAfter) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!ex.version.isKeepAliveDefault()) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ChannelFuture written = channel.write(response);
        if (!downlinks.isEmpty()) {
            TransportConnection connection = ex.lease.connection();
            written.addListener(f -> {
                if (!f.isSuccess()) {
                    // The device did not get them: queue them again for its next request (best effort).
                    LOG.debug("network component {}: {} downlinks for {} not written, queued again", componentId,
                            downlinks.size(), connection.id());
                    downlinks.forEach(connection::send);
                }
            });
        }
        return written;
    }

    // ------------------------------------------------------------------ connection events

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            // No traffic for idleTimeout: close unless a request waits for the platform (a half-sent request does not count).
            boolean waiting = false;
            for (Exchange ex : exchanges) {
                waiting |= ex.started && !ex.ready;
            }
            if (!waiting) {
                LOG.debug("network component {}: closing idle connection {}", componentId, channel.remoteAddress());
                channel.close();
            }
        } else if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            LOG.info("network component {}: TLS handshake with {} failed: {}", componentId, channel.remoteAddress(),
                    handshake.cause() == null ? "" : handshake.cause().getMessage());
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        for (Exchange ex : exchanges) {
            ex.releaseBody();
        }
        exchanges.clear();
        reading = null;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("network component {}: connection {} failed: {}", componentId, channel.remoteAddress(), cause.toString());
        channel.close();
    }

    // ------------------------------------------------------------------ helpers

    private List<X509Certificate> peerCertificates() {
        if (peerCertificates == null) {
            peerCertificates = NettyTls.peerCertificates(channel);
        }
        return peerCertificates;
    }

    private void onLoop(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            // The component stopped: nobody waits for this response any more.
        }
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

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
