package io.thingport.network.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import io.thingport.network.netty.FrameLifecycle.LoginOutcome;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of a frame transport (TCP, WebSocket): the login-by-first-frame logic of the network contract,
 * written once. It sits last in the pipeline and reads frames that the transport already decoded ({@code byte[]} or
 * {@code ByteBuf}, released here); it writes through the transport's {@link FrameWriter}.
 *
 * <ul>
 *   <li>The first frame is the login: {@link TransportListener#authenticate} with
 *       {@link AuthRequest#ofFrame} and the verified TLS client certificates. Reading stops while it is checked; frames
 *       that arrived meanwhile are held in order and delivered after.</li>
 *   <li>The result's {@link AuthResult#reply() reply}, if any, is written first (framed as any downlink). A refused
 *       login (or a failed check) closes the connection once the reply is flushed; an accepted one calls
 *       {@link TransportListener#connected}, then every later frame goes to {@link TransportListener#received} as
 *       {@code new EncodedMessage("", frame, Map.of())}. Empty frames carry nothing and are ignored.</li>
 *   <li>At most {@link FrameConnectionSettings#maxInflight()} uplinks whose stage has not completed; at the bound the
 *       connection stops reading (autoRead off) until one completes. A stage failing with {@code UNAVAILABLE} (the
 *       platform is at its bound) stops reading too, and the uplink is offered again after a pause, before anything
 *       read after it ({@link InflightUplinks#unavailable}), for as long as the connection lives. A stage failing
 *       with {@code FORBIDDEN} closes the connection ("forbidden: ..."); any other failure closes it too ("the
 *       platform could not store a message: ...") so the device sends again.</li>
 *   <li>{@code authTimeout}: a connection not logged in within the time is closed. {@code idleTimeout}: a connection
 *       that read no byte within the time is closed (the half-open case); the handler installs an
 *       {@link IdleStateHandler} first in the pipeline, so TLS records and WebSocket pings count as traffic. A
 *       connection that is not read because the platform is slow is never idle.</li>
 *   <li>{@link TransportListener#disconnected} is called exactly once for a connection that was reported connected,
 *       with the first close reason recorded ({@link #closeReason(Channel, String)}), else "connection closed by the
 *       device".</li>
 * </ul>
 *
 * <p>Threading: the state is confined to the channel's event loop; {@link #send} and {@link #close} may be called
 * from any thread. What to do is decided without a channel by {@link FrameLifecycle} (the login phases and what each
 * allows) and {@link InflightUplinks} (the in-flight bound, the held frames, when to stop or resume reading).
 */
public final class FrameConnectionHandler extends ChannelInboundHandlerAdapter implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(FrameConnectionHandler.class);
    private static final AttributeKey<String> CLOSE_REASON = AttributeKey.valueOf("thingport.frame.closeReason");

    /** The pipeline name of the idle detector the handler installs first in the pipeline. */
    public static final String IDLE_HANDLER = "frame-idle";
    /** Seconds a closing connection may take to flush its last writes before it is closed anyway. */
    public static final int CLOSE_GRACE_SECONDS = 5;

    private final Channel channel;
    private final FrameConnectionSettings settings;
    private final TransportListener listener;
    private final FrameWriter writer;
    private final InflightUplinks<byte[]> uplinks;
    private final FrameLifecycle lifecycle = new FrameLifecycle();
    private volatile boolean open;
    private ScheduledFuture<?> authTimer;
    private ScheduledFuture<?> pauseTimer;

    public FrameConnectionHandler(Channel channel, FrameConnectionSettings settings, TransportListener listener, FrameWriter writer) {
        this.channel = channel;
        this.settings = settings;
        this.listener = listener;
        this.writer = writer;
        this.uplinks = new InflightUplinks<>(settings.maxInflight());
    }

    /** Records why a channel is being closed, for the device log; the first reason recorded wins. */
    public static void closeReason(Channel channel, String reason) {
        channel.attr(CLOSE_REASON).setIfAbsent(reason);
    }

    /** The first close reason recorded for the channel, or {@code null}. */
    public static String closeReason(Channel channel) {
        return channel.attr(CLOSE_REASON).get();
    }

    /**
     * Closes every channel of a component that stops: frame connections with {@link CloseCause#SHUTDOWN} (their
     * goodbye is written), other channels at once; waits up to {@code timeoutMillis} for them to close, then forces.
     */
    public static void closeAll(ChannelGroup channels, String reason, long timeoutMillis) {
        for (Channel ch : channels) {
            FrameConnectionHandler handler = ch.pipeline().get(FrameConnectionHandler.class);
            if (handler != null) {
                handler.closeWith(CloseCause.SHUTDOWN, reason);
            } else {
                closeReason(ch, reason);
                ch.close();
            }
        }
        if (!channels.newCloseFuture().awaitUninterruptibly(timeoutMillis)) {
            channels.close().awaitUninterruptibly(timeoutMillis);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (settings.idleTimeoutSeconds() > 0 && ctx.pipeline().get(IDLE_HANDLER) == null) {
            ctx.pipeline().addFirst(IDLE_HANDLER, new IdleStateHandler(settings.idleTimeoutSeconds(), 0, 0, TimeUnit.SECONDS));
        }
        if (ctx.channel().isActive()) {
            startAuthTimer();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startAuthTimer();
        super.channelActive(ctx);
    }

    private void startAuthTimer() {
        if (authTimer == null && lifecycle.awaitingLogin()) {
            authTimer = channel.eventLoop().schedule(this::authTimeout, settings.authTimeoutSeconds(), TimeUnit.SECONDS);
        }
    }

    private void cancelAuthTimer() {
        if (authTimer != null) {
            authTimer.cancel(false);
        }
    }

    private void authTimeout() {
        String reason = lifecycle.authTimeoutReason(settings.authTimeoutSeconds());
        if (reason != null) {
            closeWith(CloseCause.TIMEOUT, reason);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        boolean reportDisconnected = lifecycle.closed();
        open = false;
        cancelAuthTimer();
        cancelPause();
        uplinks.closeAtOnce();
        String reason = closeReason(channel);
        if (reportDisconnected) {
            try {
                listener.disconnected(this, reason == null ? "connection closed by the device" : reason);
            } catch (RuntimeException e) {
                LOG.warn("Network component {}: reporting the disconnection of {} failed", settings.componentId(), remoteAddress(), e);
            }
        }
        LOG.debug("Network component {}: connection {} from {} closed: {}", settings.componentId(), id(), remoteAddress(),
                reason == null ? "by the device" : reason);
        super.channelInactive(ctx);
    }

    // ------------------------------------------------------------------ inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        byte[] frame;
        if (msg instanceof ByteBuf buf) {
            try {
                frame = ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
        } else if (msg instanceof byte[] bytes) {
            frame = bytes;
        } else {
            LOG.debug("Network component {}: ignoring {}", settings.componentId(), msg.getClass().getName());
            ReferenceCountUtil.release(msg);
            return;
        }
        if (frame.length == 0) {
            return;
        }
        switch (lifecycle.frameRead()) {
            case LOGIN -> login(frame);
            case HOLD -> uplinks.hold(frame);
            case UPLINK -> {
                // One socket read can hold many frames; those beyond the bound wait in uplinks, in order.
                if (uplinks.admit(frame)) {
                    deliver(frame);
                } else {
                    channel.config().setAutoRead(false);
                }
            }
            case DROP -> {
                // closing: nothing more is read
            }
        }
    }

    private void login(byte[] frame) {
        channel.config().setAutoRead(false);
        AuthRequest request = AuthRequest.ofFrame(settings.transport(), frame, remoteAddress(), NettyTls.peerCertificates(channel));
        CompletionStage<AuthResult> auth = platformStage(() -> listener.authenticate(request),
                () -> CompletableFuture.failedFuture(new IllegalStateException("no result")));
        auth.whenComplete((result, error) -> onLoop(() -> authenticated(result, error)));
    }

    private void authenticated(AuthResult result, Throwable error) {
        LoginOutcome outcome = lifecycle.loginChecked(result, error);
        if (outcome == LoginOutcome.STALE) {
            return;
        }
        if (outcome == LoginOutcome.FAILED) {
            closeAfter(FrameFailure.ofLoginCheck(error, remoteAddress()));
            return;
        }
        if (result.reply() != null) {
            Object reply;
            try {
                reply = writer.frame(channel, result.reply().payload());
            } catch (RuntimeException e) {
                closeAfter(FrameFailure.ofLoginReply(e, remoteAddress()));
                return;
            }
            channel.writeAndFlush(reply);
        }
        if (outcome == LoginOutcome.REFUSED) {
            closeAfter(FrameFailure.ofRefusal(result.detail(), remoteAddress()));
            return;
        }
        cancelAuthTimer();
        lifecycle.loggedIn();
        open = true;
        try {
            listener.connected(this, result);
        } catch (RuntimeException e) {
            closeAfter(FrameFailure.ofConnected(e, id()));
            return;
        }
        drain();
    }

    private void deliver(byte[] frame) {
        boolean full = uplinks.started(frame);
        CompletionStage<Void> stored = platformStage(() -> listener.received(this, new EncodedMessage("", frame, Map.of())),
                () -> CompletableFuture.completedFuture(null));
        if (full) {
            channel.config().setAutoRead(false);
        }
        stored.whenComplete((ok, error) -> {
            // Refused at once (the platform at its bound): pause now, before the next frame of this read is delivered.
            if (UplinkOutcome.of(error) == UplinkOutcome.UNAVAILABLE && channel.eventLoop().inEventLoop()) {
                stored(frame, error);
            } else {
                onLoop(() -> stored(frame, error));
            }
        });
    }

    private void stored(byte[] frame, Throwable error) {
        if (UplinkOutcome.of(error) == UplinkOutcome.UNAVAILABLE) {
            notTaken(frame, error);
            return;
        }
        uplinks.finished(frame);
        if (!lifecycle.connected()) {
            return;
        }
        if (error != null) {
            closeAfter(FrameFailure.ofUplink(error, id()));
            return;
        }
        drain();
    }

    /** The platform is at its bound: the frame waits, reading stops, and a pause starts unless one is running. */
    private void notTaken(byte[] frame, Throwable error) {
        if (!uplinks.unavailable(frame) || !lifecycle.connected()) {
            return;
        }
        channel.config().setAutoRead(false);
        LOG.debug("Network component {}: the platform did not take an uplink of connection {} ({}); offering {} again in {} ms",
                settings.componentId(), id(), UplinkOutcome.cause(error).getMessage(), uplinks.waiting(), uplinks.pauseMillis());
        pauseTimer = channel.eventLoop().schedule(this::resume, uplinks.pauseMillis(), TimeUnit.MILLISECONDS);
    }

    private void resume() {
        pauseTimer = null;
        uplinks.resume();
        drain();
    }

    private void cancelPause() {
        if (pauseTimer != null) {
            pauseTimer.cancel(false);
            pauseTimer = null;
        }
    }

    /** Delivers held and queued frames up to the bound and reads again when there is room. */
    private void drain() {
        byte[] next;
        while (lifecycle.connected() && (next = uplinks.nextReady()) != null) {
            deliver(next);
        }
        if (lifecycle.connected()) {
            channel.config().setAutoRead(uplinks.mayRead());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (lifecycle.idleCloses(uplinks.mayRead())) {
                closeWith(CloseCause.TIMEOUT, "no traffic for idleTimeout " + settings.idleTimeoutSeconds() + " s");
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeAfter(FrameFailure.ofPipeline(cause, id(), remoteAddress(), settings.maxMessageLength()));
    }

    /** Logs a failure as it says and closes the connection for it. */
    private void closeAfter(FrameFailure failure) {
        switch (failure.severity()) {
            case DEBUG -> LOG.debug("Network component {}: {}", settings.componentId(), failure.log(), failure.stack());
            case INFO -> LOG.info("Network component {}: {}", settings.componentId(), failure.log(), failure.stack());
            case WARN -> LOG.warn("Network component {}: {}", settings.componentId(), failure.log(), failure.stack());
        }
        closeWith(failure.cause(), failure.reason());
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes the connection: records {@code reason} (first wins), reads nothing more, writes the transport's goodbye
     * (if any) after what is already queued, and closes once that is flushed ({@link #CLOSE_GRACE_SECONDS} at the
     * latest). Any thread; idempotent.
     */
    public void closeWith(CloseCause cause, String reason) {
        if (!channel.eventLoop().inEventLoop()) {
            closeReason(channel, reason);
            onLoop(() -> closeWith(cause, reason));
            return;
        }
        closeReason(channel, reason);
        if (!lifecycle.startClosing()) {
            return;
        }
        open = false;
        cancelAuthTimer();
        cancelPause();
        uplinks.closeAtOnce();
        channel.config().setAutoRead(false);
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        Object goodbye = null;
        try {
            goodbye = writer.goodbye(channel, cause, reason);
        } catch (RuntimeException e) {
            LOG.debug("Network component {}: no goodbye for {}: {}", settings.componentId(), id(), e.toString());
        }
        if (goodbye != null) {
            channel.write(goodbye);
        }
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Closes at once without a goodbye (the transport already answered, e.g. a WebSocket decoder that sent its own
     * close frame), recording {@code reason}.
     */
    public void abort(String reason) {
        closeReason(channel, reason);
        onLoop(() -> {
            if (lifecycle.abort()) {
                open = false;
                cancelPause();
                uplinks.closeAtOnce();
            }
            channel.close();
        });
    }

    /** What the platform returned: a failed stage if it threw, {@code ifNull} if it returned none. */
    private static <T> CompletionStage<T> platformStage(Supplier<CompletionStage<T>> call, Supplier<CompletionStage<T>> ifNull) {
        try {
            CompletionStage<T> stage = call.get();
            return stage == null ? ifNull.get() : stage;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void onLoop(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            // the component is stopping; the channel is closed with its event loop
            LOG.debug("Network component {}: event loop stopped, dropping a task for {}", settings.componentId(), id());
        }
    }

    // ------------------------------------------------------------------ TransportConnection

    @Override
    public String id() {
        return channel.id().asShortText();
    }

    @Override
    public Transport transport() {
        return settings.transport();
    }

    /** The peer's address, or {@code null} for a channel that is not a socket (tests with an embedded channel). */
    @Override
    public InetSocketAddress remoteAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress address ? address : null;
    }

    /**
     * Writes {@code message.payload()} as one frame (the topic is ignored). Fails with {@code DEVICE_OFFLINE} when the
     * connection is not open, with the writer's {@code INVALID_ARGUMENT} when the payload cannot be one frame.
     */
    @Override
    public CompletionStage<Void> send(EncodedMessage message) {
        if (!isOpen()) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE, "connection " + id()
                    + " of network component " + settings.componentId() + " is closed"));
        }
        Object frame;
        try {
            frame = writer.frame(channel, message.payload());
        } catch (ThingportException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.INVALID_ARGUMENT, "network component "
                    + settings.componentId() + ": the downlink cannot be framed: " + e.getMessage(), e));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.writeAndFlush(frame).addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(new ThingportException(ErrorCode.DEVICE_OFFLINE, "writing to the device failed: "
                        + f.cause().getMessage()));
            }
        });
        return done;
    }

    /** Closes gracefully (see {@link #closeWith}); {@code reason} goes to the device log. */
    @Override
    public void close(String reason) {
        closeWith(CloseCause.NORMAL, reason);
    }

    @Override
    public boolean isOpen() {
        return open && channel.isActive();
    }

    @Override
    public String toString() {
        return settings.transport() + " connection " + id() + " from " + remoteAddress();
    }
}
