package io.thingport.network.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS handshakes one network component refused (an untrusted or missing client certificate under
 * {@code clientAuth = require}, a protocol or cipher mismatch, plain text on a TLS port): counted, the last reason
 * kept for {@code iot:network-info}, and logged at WARN at most once per {@value #LOG_INTERVAL_MS} ms with the number
 * refused since, so that a peer retrying in a loop cannot flood the log. Thread-safe.
 */
public final class TlsHandshakes {
    private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakes.class);
    static final long LOG_INTERVAL_MS = 10_000;

    private final String componentId;
    private final LongSupplier clock;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unlogged = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    private final AtomicReference<String> lastReason = new AtomicReference<>();

    public TlsHandshakes(String componentId) {
        this(componentId, System::currentTimeMillis);
    }

    TlsHandshakes(String componentId, LongSupplier clock) {
        this.componentId = componentId;
        this.clock = clock;
    }

    /** Adds {@code ssl} to a new connection's pipeline as {@code name}, followed by the watcher of its handshake. */
    public void addTo(ChannelPipeline pipeline, String name, SslHandler ssl) {
        pipeline.addLast(name, ssl);
        pipeline.addLast(name + "-handshake", watcher());
    }

    /** The handler that sees the end of a handshake; it goes right after the TLS handler. */
    ChannelHandler watcher() {
        return new Watcher();
    }

    /** How many handshakes were refused since the component started. */
    public long refused() {
        return refused.get();
    }

    /** The component's status with the refused handshakes, if any: {@code "<base>; 3 TLS handshakes refused (last: ...)"}. */
    public String status(String base) {
        long n = refused.get();
        return n == 0 ? base : base + "; " + n + " TLS handshake" + (n == 1 ? "" : "s") + " refused (last: " + lastReason.get() + ")";
    }

    void record(Object peer, Throwable cause) {
        String reason = peer + ": " + describe(cause);
        lastReason.set(reason);
        long total = refused.incrementAndGet();
        long pending = unlogged.incrementAndGet();
        long now = clock.getAsLong();
        long last = lastLogged.get();
        if ((last == Long.MIN_VALUE || now - last >= LOG_INTERVAL_MS) && lastLogged.compareAndSet(last, now)) {
            unlogged.addAndGet(-pending);
            LOG.warn("Network component {}: TLS handshake refused, {} ({} in all{})", componentId, reason, total,
                    pending > 1 ? ", " + (pending - 1) + " more since the last message" : "");
        }
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    /** Sees the end of the handshake; passes every event on. */
    private final class Watcher extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
                record(ctx.channel().remoteAddress(), done.cause());
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
