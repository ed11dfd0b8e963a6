package io.thingport.network.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.thingport.api.network.RequestSessions;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.network.netty.NettyTls;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
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
 * each one either logs in through the {@link RequestSessions} or presents the token of a session it opened, then goes
 * to the platform, and the responses are written in the order of the requests (pipelining) when their stages
 * complete. All state is confined to the channel's event loop;
 * stages completing on other threads hand their results back to it.
 *
 * <p>This class does the channel work; the decisions are pure: what a request asks for ({@link HttpRequests}), the
 * answers ({@link HttpReply}) and the order they are written in ({@link ResponseQueue}).
 */
final class HttpDeviceHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDeviceHandler.class);
    /** How long the rest of a refused body is read (and dropped) after the 413, so the client sees the response. */
    private static final long LINGER_MILLIS = 2000;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Channel channel;
    private final String componentId;
    private final HttpServerSettings settings;
    private final RequestSessions sessions;
    private final TransportListener listener;
    /** Requests whose response is not written yet, in arrival order. */
    private final ResponseQueue exchanges;
    /** The request whose body is being read, or {@code null}. */
    private HttpExchange reading;
    /** A request that ends the connection was read: whatever follows is dropped. */
    private boolean acceptNoMore;
    /** The last response was written; the connection closes. */
    private boolean closing;
    /** After a 413: reading and dropping the rest of the body until it ends or the linger time is over. */
    private boolean lingering;
    private List<X509Certificate> peerCertificates;
    /** Completes when the last login started on this connection has been checked. */
    private CompletableFuture<Void> lastLogin = CompletableFuture.completedFuture(null);

    HttpDeviceHandler(Channel channel, String componentId, HttpServerSettings settings, RequestSessions sessions,
                      TransportListener listener) {
        this.channel = channel;
        this.componentId = componentId;
        this.settings = settings;
        this.sessions = sessions;
        this.listener = listener;
        this.exchanges = new ResponseQueue(settings.maxInflight());
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
        HttpExchange ex = new HttpExchange(request.protocolVersion(), request.method(), request.headers());
        exchanges.add(ex);
        reading = ex;
        if (!HttpUtil.isKeepAlive(request)) {
            ex.closeAfter = true;
            acceptNoMore = true;
        }
        boolean expectContinue = HttpUtil.is100ContinueExpected(request);
        ex.expectContinue = expectContinue;
        HttpRequests.Route route = HttpRequests.route(request.method(), request.uri(), settings.path());
        if (route.refused()) {
            ex.respond(route.refusal());
            ex.discarding = true;
        } else {
            ex.topic = route.topic();
        }
        long length = HttpRequests.contentLength(request);
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
        HttpExchange ex = reading;
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

    private void tooLarge(HttpExchange ex, String what) {
        ex.releaseBody();
        ex.discarding = true;
        ex.closeAfter = true;
        acceptNoMore = true;
        ex.respond(HttpReply.tooLarge(what, settings.maxMessageLength()));
        // DEBUG: any peer can cause this before logging in (the device log keeps refused logins, aggregated).
        LOG.debug("network component {}: refused a request from {}: {} exceeds maxMessageLength {} bytes", componentId,
                channel.remoteAddress(), what, settings.maxMessageLength());
    }

    private void malformed(Throwable cause) {
        if (acceptNoMore && reading == null) {
            return;
        }
        HttpExchange ex = reading;
        if (ex == null) {
            ex = new HttpExchange(HttpVersion.HTTP_1_1, HttpMethod.GET, null);
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
        ex.respond(HttpReply.malformed(why));
        LOG.debug("network component {}: malformed HTTP from {}: {}", componentId, channel.remoteAddress(), why);
    }

    // ------------------------------------------------------------------ processing

    /** Starts what can start, writes the responses that are due in order, and sets reading on or off. */
    private void pump() {
        if (closing || !channel.isActive()) {
            return;
        }
        exchanges.startDue(this::start);
        boolean wrote = false;
        HttpExchange head;
        while ((head = exchanges.pollDue()) != null) {
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
        }
        HttpExchange waiting = head == null ? exchanges.continueDue() : null;
        if (waiting != null) {
            waiting.continueSent = true;
            // Written below the codec: an interim response must not consume the codec's request bookkeeping.
            channel.pipeline().context("codec").write(Unpooled.wrappedBuffer(CONTINUE));
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
        channel.config().setAutoRead(lingering || (!closing && exchanges.hasRoom()));
    }

    private void start(HttpExchange ex) {
        ex.started = true;
        if (ex.ready) {
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        HttpRequests.Presented presented = HttpRequests.presented(ex.headers, peerCertificates(), remote);
        if (presented instanceof HttpRequests.Token token) {
            Optional<RequestSessions.Lease> lease = sessions.resume(token.token(), remote);
            if (lease.isPresent()) {
                serve(ex, lease.get());
            } else {
                LOG.debug("network component {}: unknown or expired session token from {}", componentId, remote);
                ex.respond(HttpReply.invalidSession());
            }
            return;
        }
        if (!(presented instanceof HttpRequests.Login credentials)) {
            ex.respond(HttpReply.missingCredentials());
            return;
        }
        // Logins of one connection run one after the other, in the order of the requests.
        AuthRequest login = credentials.request();
        CompletableFuture<Void> previous = lastLogin;
        CompletableFuture<Void> done = new CompletableFuture<>();
        lastLogin = done;
        Runnable begin = () -> {
            CompletionStage<RequestSessions.Lease> stage;
            try {
                stage = sessions.login(login);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((lease, error) -> {
                done.complete(null);
                onLoop(() -> loggedIn(ex, login, lease, error));
            });
        };
        if (previous.isDone()) {
            begin.run();
        } else {
            previous.whenComplete((ignored, error) -> onLoop(begin));
        }
    }

    private void loggedIn(HttpExchange ex, AuthRequest login, RequestSessions.Lease lease, Throwable error) {
        if (error != null) {
            Throwable cause = unwrap(error);
            HttpReply reply = HttpReply.loginUnchecked(cause);
            if (reply.retryAfter() == null) {
                LOG.warn("network component {}: the login of a request from {} could not be checked: {}", componentId,
                        channel.remoteAddress(), cause.toString());
            } else {
                // The platform at its bound of login checks: routine under load, the device is told to try again.
                LOG.debug("network component {}: the login of a request from {} was not checked: {}", componentId,
                        channel.remoteAddress(), cause.toString());
            }
            ex.respond(reply);
        } else if (!lease.result().accepted()) {
            // The device is told only the generic refusal; the reason is for the operator (here and in the device log).
            // DEBUG: any peer can cause this before logging in (the device log keeps refused logins, aggregated).
            LOG.debug("network component {}: login of {} from {} refused: {} ({})", componentId, login.clientId(),
                    login.remoteAddress(), lease.result().failure(), lease.result().detail());
            ex.respond(HttpReply.loginRefused(lease.result()));
        } else {
            serve(ex, lease);
        }
        pump();
    }

    /**
     * Serves a request of an open session: a GET is answered with the queued downlinks, a POST's message goes to the
     * platform and is answered once the platform has dealt with it. A session that ended meanwhile (replaced by a newer
     * login) is answered as an unknown token: the device logs in again.
     */
    private void serve(HttpExchange ex, RequestSessions.Lease lease) {
        TransportConnection connection = lease.connection();
        if (!connection.isOpen()) {
            ex.respond(HttpReply.invalidSession());
        } else if (HttpMethod.GET.equals(ex.method)) {
            ex.respondDownlinks(lease);
        } else if (channel.isActive()) {
            // (When the device went away before its message could be handed over, it got no answer and resends.)
            EncodedMessage message = new EncodedMessage(ex.topic, ex.payload, HttpRequests.messageHeaders(ex.headers));
            ex.payload = null;
            CompletionStage<Void> stored;
            try {
                stored = listener.received(connection, message);
            } catch (RuntimeException e) {
                stored = CompletableFuture.failedFuture(e);
            }
            stored.whenComplete((ok, failure) -> onLoop(() -> stored(ex, lease, failure)));
        }
    }

    private void stored(HttpExchange ex, RequestSessions.Lease lease, Throwable error) {
        if (error == null) {
            ex.respondDownlinks(lease);
        } else {
            Throwable cause = unwrap(error);
            HttpReply reply = HttpReply.notStored(cause);
            if (reply.status() != HttpResponseStatus.FORBIDDEN) {
                LOG.debug("network component {}: the platform could not store a message of {}: {}", componentId,
                        lease.connection().id(), cause.toString());
            }
            ex.respond(reply);
        }
        pump();
    }

    private ChannelFuture write(HttpExchange ex) {
        List<EncodedMessage> downlinks = ex.lease == null ? List.of() : ex.lease.drain();
        HttpReply reply = ex.lease == null ? ex.reply : HttpReply.downlinks(ex.lease.token().orElse(null), downlinks);
        ChannelFuture written = channel.write(reply.toResponse(ex.version, ex.closeAfter));
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
            if (!exchanges.waiting()) {
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

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
