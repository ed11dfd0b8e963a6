package io.thingport.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A device on a {@code tcp-server} component (newline framing): one TCP connection, the login frame
 * {@code /auth {...}} answered by {@code /auth/reply {...}}, then one frame {@code <topic> <payload>\n} per report.
 *
 * <p>TCP has no per-message acknowledgement: a report counts as <em>written</em> when Netty's write future
 * completes, i.e. when the bytes are in the kernel's send buffer. That is not "stored": the platform stops reading a
 * connection while 32 of its messages are being stored, so a slow platform fills the socket buffers first and only
 * then holds the writes back (the write futures stay pending, and {@code --max-inflight} pending writes throttle the
 * device). A rejected report is answered by an {@code /{product}/{device}/error} frame, counted here.
 */
final class TcpDeviceClient extends DeviceClient {
    private final Bootstrap base;
    private final InetSocketAddress address;

    // ---- event-loop confined ----
    private Channel channel;
    /** Writes handed to Netty whose future has not completed yet. */
    private int pendingWrites;

    TcpDeviceClient(LoadRun run, Device device, int loopIndex, EventLoop loop, Bootstrap base, InetSocketAddress address) {
        super(run, device, loopIndex, loop);
        this.base = base;
        this.address = address;
    }

    @Override
    void connect() {
        loop.execute(() -> channel = openTcp(base, address, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline p = ch.pipeline();
                p.addLast("frames", new LineBasedFrameDecoder(64 * 1024, true, true));
                int keepalive = run.config.keepaliveS;
                if (keepalive > 0) {
                    // an empty frame after 3/4 of the keep-alive without other writes: the platform ignores it but
                    // counts it as traffic for its idleTimeout
                    long pingMs = Math.max(1000L, keepalive * 750L);
                    p.addLast("idle", new IdleStateHandler(0, pingMs, 0, TimeUnit.MILLISECONDS));
                }
                p.addLast("device", new Handler());
            }
        }));
    }

    @Override
    void trySend() {
        Channel ch = channel;
        if (!connected || ch == null || !ch.isActive()) {
            run.stats.skipped.increment();
            return;
        }
        if (pendingWrites >= run.config.maxInflight) {
            run.stats.throttled.increment();
            return;
        }
        String json = nextReport();
        long reportSeq = seq;
        StringBuilder frame = TcpFrames.appendFrame(new StringBuilder(reportTopic.length() + json.length() + 2),
                reportTopic, json);
        ByteBuf buf = ch.alloc().buffer(frame.length() + 8);
        ByteBufUtil.writeUtf8(buf, frame);
        boolean measured = countSent();
        String report = sample ? json : null;
        pendingWrites++;
        ch.writeAndFlush(buf).addListener((ChannelFutureListener) f -> {
            pendingWrites--;
            if (f.isSuccess()) {
                countConfirmed(measured, -1, reportSeq, report);
            } else {
                countDropped(measured);
                countError("write failed", describe(f.cause()));
                f.channel().close();
            }
        });
    }

    @Override
    void disconnect() {
        // No goodbye frame in the protocol: a normal close (FIN after the data already written). The platform reads
        // what is still in its socket buffer before it sees the end of the stream, so nothing written is lost.
        loop.execute(() -> {
            if (channel != null) {
                channel.close();
            }
        });
    }

    private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.copiedBuffer(TcpFrames.login(device, System.currentTimeMillis()),
                    StandardCharsets.UTF_8));
            startLoginTimeout("/auth/reply", ctx::close);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            String frame = msg.toString(StandardCharsets.UTF_8);
            if (frame.isEmpty()) {
                return;
            }
            if (!resolved) {
                TcpFrames.AuthReply reply = TcpFrames.authReply(frame);
                if (reply == null) {
                    resolveFailure(false, "unexpected frame before /auth/reply", abbreviate(frame, 120));
                    ctx.close();
                } else if (reply.success()) {
                    loginSucceeded();
                } else {
                    resolveFailure(true, "login refused", reply.detail());
                    ctx.close();
                }
                return;
            }
            if (TcpFrames.isError(frame, run.config.product, device.id())) {
                // one reason per error code (the message may name the report), the first few printed in full
                run.stats.errorFrames.increment();
                run.stats.reason("/error frame", "code " + TcpFrames.errorCode(frame));
                if (run.stats.errorFrames.sum() <= 3) {
                    System.err.println("! " + device.id() + ": " + abbreviate(frame, 300));
                }
            } else {
                run.stats.inbound.increment();
                run.stats.reason("unexpected frame from server", abbreviate(TcpFrames.topic(frame), 80));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent e && e.state() == IdleState.WRITER_IDLE) {
                if (loggedIn && ctx.channel().isActive()) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'\n'}));
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String category = cause instanceof TooLongFrameException ? "frame from server too long"
                    : cause instanceof IOException ? "connection lost" : "exception";
            if (!resolved) {
                resolveFailure(false, "connection error before /auth/reply", describe(cause));
            } else if (loggedIn) {
                countError(category, describe(cause));
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancelLoginTimeout();
            sessionDown();
            if (!resolved) {
                resolveFailure(false, "connection closed before /auth/reply", "by the server");
            } else if (loggedIn) {
                countError("connection closed", "by the server");
            }
            // pending writes fail now; their listeners count them as dropped
            super.channelInactive(ctx);
        }
    }
}
