package io.thingport.network.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.thingport.api.network.RefusedHandshakes;

/**
 * Watches the TLS handshakes of a Netty server's connections: each refused one (an untrusted or missing client
 * certificate under {@code clientAuth = require}, a protocol or cipher mismatch, plain text on a TLS port) is recorded,
 * with the peer and the reason, in the component's {@link RefusedHandshakes}, which counts and logs it.
 */
public final class TlsHandshakes {
    private TlsHandshakes() {
    }

    /**
     * Adds {@code ssl} to a new connection's pipeline as {@code name}, followed by the watcher of its handshake, which
     * records a failed one in {@code refused}.
     */
    public static void addTo(ChannelPipeline pipeline, String name, SslHandler ssl, RefusedHandshakes refused) {
        pipeline.addLast(name, ssl);
        pipeline.addLast(name + "-handshake", watcher(refused));
    }

    /** The handler that sees the end of a handshake; it goes right after the TLS handler. */
    static ChannelHandler watcher(RefusedHandshakes refused) {
        return new Watcher(refused);
    }

    /** Sees the end of the handshake; passes every event on. */
    private static final class Watcher extends ChannelInboundHandlerAdapter {
        private final RefusedHandshakes refused;

        Watcher(RefusedHandshakes refused) {
            this.refused = refused;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
                refused.record(ctx.channel().remoteAddress(), done.cause());
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
