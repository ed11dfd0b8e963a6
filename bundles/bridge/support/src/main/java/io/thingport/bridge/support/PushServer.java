package io.thingport.bridge.support;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.network.netty.NettyServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server a cloud platform pushes to: one bound port; each request is read in full (at most {@code maxBody}
 * bytes: a larger one is answered {@code 413} and its connection closed, before more than that is buffered), handed to
 * the bridge's {@link PushHandler}, and answered when the handler's stage completes. One request per connection is in
 * progress at a time (nothing more is read from the connection meanwhile), so answers keep the order of pipelined
 * requests and a peer cannot queue work without end. A request must arrive whole within
 * {@value #REQUEST_DEADLINE_SECONDS} s (of the connection's opening or of the previous answer) and at most
 * {@code maxConnections} connections are open, an eighth of them from one address: a peer trickling bytes cannot hold
 * every slot. A connection idle for {@code idleSeconds} closes. A handler that
 * throws or fails its stage is answered {@code 500} (and logged): the cloud sends the push again.
 */
public final class PushServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushServer.class);

    /**
     * @param maxBody        the largest request body, in bytes
     * @param idleSeconds    a connection without a request for this long closes
     * @param maxConnections the most open connections: one more is closed at once (with {@code maxBody}, this bounds
     *                       what peers can make the server buffer)
     */
    public record Settings(String host, int port, int ioThreads, int maxBody, int idleSeconds, int maxConnections) {
        /** With at most {@link #DEFAULT_MAX_CONNECTIONS} connections. */
        public Settings(String host, int port, int ioThreads, int maxBody, int idleSeconds) {
            this(host, port, ioThreads, maxBody, idleSeconds, DEFAULT_MAX_CONNECTIONS);
        }
    }

    /** How many connections a push server holds at most unless told otherwise: clouds push over a few at a time. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;

    private final String componentId;
    private final NettyServer server;

    private PushServer(String componentId, NettyServer server) {
        this.componentId = componentId;
        this.server = server;
    }

    /** Binds the server; the error of a failed bind names the address. */
    public static PushServer start(NetworkComponentConfig config, Settings settings, PushHandler handler) {
        ConnectionBounds bounds = new ConnectionBounds(settings.maxConnections(), Math.max(1, settings.maxConnections() / 8));
        NettyServer server = NettyServer.start(config, "push", settings.host(), settings.port(), settings.ioThreads(), ch -> {
            InetAddress peer = ch.remoteAddress() == null ? null : ch.remoteAddress().getAddress();
            String refusal = bounds.open(peer);
            if (refusal != null) {
                refusedConnection(config.id(), refusal);
                ch.close();
                return;
            }
            ch.closeFuture().addListener(f -> bounds.closed(peer));
            // one request at a time: nothing more is read until the answer to the previous one is written
            ch.config().setAutoRead(false);
            ch.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, settings.idleSeconds(), TimeUnit.SECONDS))
                .addLast("codec", new HttpServerCodec(4096, 8192, 8192))
                .addLast("aggregate", new Aggregator(settings.maxBody()))
                .addLast("flow", new FlowControlHandler())
                .addLast("push", new Handler(config.id(), handler, Math.min(REQUEST_DEADLINE_SECONDS, settings.idleSeconds())));
        });
        return new PushServer(config.id(), server);
    }

    /**
     * A request must arrive whole within this many seconds of the connection's opening or of the previous answer, else
     * the connection closes: a peer trickling bytes does not hold a connection slot for long.
     */
    static final int REQUEST_DEADLINE_SECONDS = 30;

    /**
     * The open connections, in all and per peer address (at most an eighth of all from one address): one peer cannot
     * take every slot. Thread-safe.
     */
    static final class ConnectionBounds {
        private final int max;
        private final int perAddress;
        private final Map<InetAddress, Integer> byAddress = new HashMap<>();
        private int open;

        ConnectionBounds(int max, int perAddress) {
            this.max = max;
            this.perAddress = perAddress;
        }

        /** Counts a new connection, or says why it is refused ({@code null}: taken). */
        synchronized String open(InetAddress peer) {
            if (open >= max) {
                return max + " connections are open, the most allowed";
            }
            int fromPeer = peer == null ? 0 : byAddress.getOrDefault(peer, 0);
            if (fromPeer >= perAddress) {
                return fromPeer + " connections from " + peer.getHostAddress() + " are open, the most allowed from one address";
            }
            open++;
            if (peer != null) {
                byAddress.put(peer, fromPeer + 1);
            }
            return null;
        }

        synchronized void closed(InetAddress peer) {
            open--;
            if (peer != null) {
                byAddress.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    private static final LogLimiter REFUSALS = new LogLimiter(60_000, System::currentTimeMillis);

    private static void refusedConnection(String componentId, String why) {
        long skipped = REFUSALS.allow(componentId);
        if (skipped >= 0) {
            LOG.warn("Network component {}: a push connection was closed at once: {} ({} more since the last such warning)",
                    componentId, why, skipped);
        }
    }

    public InetSocketAddress boundAddress() {
        return server.boundAddress();
    }

    /** The open HTTP connections. */
    public int connections() {
        return server.connections().size();
    }

    @Override
    public void close() {
        server.close(() -> { });
        LOG.info("network component {}: push server stopped", componentId);
    }

    /** Splits a request into a {@link PushRequest} (a pure function, for tests). */
    static PushRequest request(FullHttpRequest http, InetSocketAddress remote) {
        QueryStringDecoder uri = new QueryStringDecoder(http.uri().replace("+", "%2B"));
        Map<String, String> query = new HashMap<>();
        uri.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> h : http.headers()) {
            headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
        }
        return new PushRequest(http.method().name(), uri.path(), query, headers, ByteBufUtil.getBytes(http.content()), remote);
    }

    /** Aggregates a request's body up to the bound; a larger one is answered 413 and its connection closed at once. */
    private static final class Aggregator extends HttpObjectAggregator {
        Aggregator(int maxBody) {
            super(maxBody, true);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            PushAnswer answer = PushAnswer.error(413, "too_large", "the body is larger than " + maxContentLength() + " bytes");
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    Unpooled.wrappedBuffer(answer.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
            HttpUtil.setContentLength(response, answer.body().length);
            HttpUtil.setKeepAlive(response, false);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String componentId;
        private final PushHandler handler;
        private final int deadlineSeconds;
        private ScheduledFuture<?> deadline;

        Handler(String componentId, PushHandler handler, int deadlineSeconds) {
            this.componentId = componentId;
            this.handler = handler;
            this.deadlineSeconds = deadlineSeconds;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            awaitRequest(ctx);
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancelDeadline();
            super.channelInactive(ctx);
        }

        /** Reads the next request, which must arrive whole within the deadline. */
        private void awaitRequest(ChannelHandlerContext ctx) {
            cancelDeadline();
            deadline = ctx.executor().schedule(() -> {
                LOG.debug("Network component {}: {} sent no whole request within {} s: closed", componentId, ctx.channel().remoteAddress(),
                        deadlineSeconds);
                ctx.close();
            }, deadlineSeconds, TimeUnit.SECONDS);
            ctx.read();
        }

        private void cancelDeadline() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
            cancelDeadline();
            if (!http.decoderResult().isSuccess()) {
                answer(ctx, PushAnswer.error(400, "malformed", "malformed HTTP request"), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(http);
            PushRequest request = request(http, (InetSocketAddress) ctx.channel().remoteAddress());
            CompletionStage<PushAnswer> stage;
            try {
                stage = handler.handle(request);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Network component {}: the push handler failed: {}", componentId, e.toString());
                answer(ctx, PushAnswer.error(500, "internal", "the push could not be handled: send it again"), keepAlive);
                return;
            }
            stage.whenComplete((answer, error) -> ctx.executor().execute(() -> {
                if (error != null) {
                    LOG.warn("Network component {}: the push handler failed: {}", componentId, error.toString());
                    answer(ctx, PushAnswer.error(500, "internal", "the push could not be handled: send it again"), keepAlive);
                } else {
                    answer(ctx, answer, keepAlive);
                }
            }));
        }

        private void answer(ChannelHandlerContext ctx, PushAnswer answer, boolean keepAlive) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
                    Unpooled.wrappedBuffer(answer.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
            HttpUtil.setContentLength(response, answer.body().length);
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (keepAlive) {
                awaitRequest(ctx);
            } else {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Network component {}: a push connection failed: {}", componentId, cause.toString());
            ctx.close();
        }
    }

}
