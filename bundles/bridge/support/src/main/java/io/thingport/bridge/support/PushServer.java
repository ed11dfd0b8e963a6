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
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.network.netty.NettyServer;
import java.net.InetSocketAddress;
import java.util.HashMap;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server a cloud platform pushes to: one bound port; each request is read in full (at most {@code maxBody}
 * bytes: a larger one is answered {@code 413} and its connection closed, before more than that is buffered), handed to
 * the bridge's {@link PushHandler}, and answered when the handler's stage completes. One request per connection is in
 * progress at a time (the server stops reading from the connection meanwhile), so answers keep the order of pipelined
 * requests and a peer cannot queue work without end; a connection idle for {@code idleSeconds} closes. A handler that
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
        AtomicInteger open = new AtomicInteger();
        NettyServer server = NettyServer.start(config, "push", settings.host(), settings.port(), settings.ioThreads(), ch -> {
            if (open.incrementAndGet() > settings.maxConnections()) {
                open.decrementAndGet();
                refusedConnection(config.id(), settings.maxConnections());
                ch.close();
                return;
            }
            ch.closeFuture().addListener(f -> open.decrementAndGet());
            ch.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, settings.idleSeconds(), TimeUnit.SECONDS))
                .addLast("codec", new HttpServerCodec(4096, 8192, 8192))
                .addLast("aggregate", new HttpObjectAggregator(settings.maxBody(), true))
                .addLast("push", new Handler(config.id(), handler));
        });
        return new PushServer(config.id(), server);
    }

    private static final LogLimiter REFUSALS = new LogLimiter(60_000, System::currentTimeMillis);

    private static void refusedConnection(String componentId, int max) {
        long skipped = REFUSALS.allow(componentId);
        if (skipped >= 0) {
            LOG.warn("Network component {}: a push connection was closed at once: {} are open, the most allowed ({} more since the"
                    + " last such warning)", componentId, max, skipped);
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

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String componentId;
        private final PushHandler handler;

        Handler(String componentId, PushHandler handler) {
            this.componentId = componentId;
            this.handler = handler;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
            if (!http.decoderResult().isSuccess()) {
                answer(ctx, PushAnswer.error(400, "malformed", "malformed HTTP request"), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(http);
            PushRequest request = request(http, (InetSocketAddress) ctx.channel().remoteAddress());
            ctx.channel().config().setAutoRead(false);
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

        private static void answer(ChannelHandlerContext ctx, PushAnswer answer, boolean keepAlive) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
                    Unpooled.wrappedBuffer(answer.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
            HttpUtil.setContentLength(response, answer.body().length);
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (keepAlive) {
                ctx.channel().config().setAutoRead(true);
                ctx.read();
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
