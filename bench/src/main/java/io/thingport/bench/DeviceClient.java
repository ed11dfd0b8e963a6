package io.thingport.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One simulated device, whatever its transport. Subclasses ({@link MqttDeviceClient}, {@link TcpDeviceClient},
 * {@link CoapDeviceClient}) implement the wire; this class holds what they share, so that every transport counts the
 * same way: the outcome of the connect attempt (exactly one per device), the session state seen by the pacer, one
 * error per lost session, the report numbering and payload, and the counters of {@link Stats}.
 *
 * <p>All mutable state except {@link #connected} and the sample fields is confined to the device's event loop
 * ({@link #loop}); the pacer hands work over with {@code loop.execute(...)}.
 */
abstract class DeviceClient {
    final LoadRun run;
    final Device device;
    final int loopIndex;
    final EventLoop loop;
    /** {@code /{product}/{deviceId}/properties/report}. */
    final String reportTopic;

    /** Logged in and usable; written on the loop, read by the pacer thread. */
    volatile boolean connected;

    /** Keep the last confirmed report of this device for the --samples lines. Set before the run starts. */
    volatile boolean sample;
    /** Number and JSON of the highest-numbered confirmed report (sample devices only). */
    volatile long lastConfirmedSeq;
    volatile String lastConfirmedReport;

    // ---- event-loop confined ----
    long connectStartNanos;
    /** The connect attempt has an outcome (logged in, or failed). */
    boolean resolved;
    /** Logged in on this connection / session. */
    boolean loggedIn;
    private boolean errorCounted;
    private ScheduledFuture<?> loginTimeout;
    /** Number of the last report built (1, 2, ...). */
    long seq;

    DeviceClient(LoadRun run, Device device, int loopIndex, EventLoop loop) {
        this.run = run;
        this.device = device;
        this.loopIndex = loopIndex;
        this.loop = loop;
        this.reportTopic = "/" + run.config.product + "/" + device.id() + "/properties/report";
    }

    String id() {
        return device.id();
    }

    /** Starts connecting and logging in; callable from any thread. Exactly one outcome is counted. */
    abstract void connect();

    /** Sends one report if the device is up and below --max-inflight. Must run on {@link #loop}. */
    abstract void trySend();

    /** Ends the session (politely where the protocol has a way); callable from any thread. */
    abstract void disconnect();

    // ------------------------------------------------------------------ shared helpers

    /**
     * Opens a TCP connection on this device's loop with the given pipeline; a failed connect is this device's
     * connect error. Must run on {@link #loop}.
     */
    final Channel openTcp(Bootstrap base, InetSocketAddress address, ChannelInitializer<SocketChannel> pipeline) {
        connectStartNanos = System.nanoTime();
        ChannelFuture f = base.clone(loop).handler(pipeline).connect(address);
        f.addListener((ChannelFutureListener) cf -> {
            if (!cf.isSuccess()) {
                Throwable t = cf.cause();
                resolveFailure(false, "connect failed", t == null ? "unknown" : describe(t));
            }
        });
        return f.channel();
    }

    /** Numbers and builds the next report JSON; {@link #seq} is its number afterwards. Must run on {@link #loop}. */
    final String nextReport() {
        long n = ++seq;
        StringBuilder json = new StringBuilder(128);
        run.payload.appendReport(json, run.runTag + "-" + n, n);
        return json.toString();
    }

    /** Arms the limit for the login answer (--connack-timeout); {@code what} names the awaited answer. */
    final void startLoginTimeout(String what, Runnable onTimeout) {
        long timeoutMs = (long) (run.config.connackTimeoutS * 1000);
        loginTimeout = loop.schedule(() -> {
            loginTimeout = null;
            if (!resolved) {
                resolveFailure(false, "no " + what, "within " + timeoutMs + " ms");
                onTimeout.run();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    final void cancelLoginTimeout() {
        if (loginTimeout != null) {
            loginTimeout.cancel(false);
            loginTimeout = null;
        }
    }

    /** The login was accepted: the device is connected and its connect time recorded. */
    final void loginSucceeded() {
        resolved = true;
        loggedIn = true;
        cancelLoginTimeout();
        run.connectLatency.recordNanos(System.nanoTime() - connectStartNanos);
        run.stats.everConnected.increment();
        run.stats.connected.incrementAndGet();
        connected = true;
        run.connectDone.countDown();
    }

    /** The connect attempt failed: a login failure (refused by the platform) or a connect error. Counted once. */
    final void resolveFailure(boolean login, String category, String detail) {
        if (resolved) {
            return;
        }
        resolved = true;
        cancelLoginTimeout();
        if (login) {
            run.stats.loginFailures.increment();
        } else {
            run.stats.connectErrors.increment();
        }
        run.stats.reason(category, detail);
        run.connectDone.countDown();
    }

    /** The session went down (closed, lost): the pacer stops picking this device. */
    final void sessionDown() {
        if (connected) {
            connected = false;
            run.stats.connected.decrementAndGet();
        }
    }

    /** An established session ended abnormally; counted once per session, not while shutting down. */
    final void countError(String category, String detail) {
        if (errorCounted || run.shuttingDown) {
            return;
        }
        errorCounted = true;
        run.stats.errors.increment();
        run.stats.reason(category, detail);
    }

    /** A report was handed to the wire; returns whether it belongs to the measured window. */
    final boolean countSent() {
        boolean measured = run.measuring;
        countSent(measured);
        return measured;
    }

    /** A report was handed to the wire, in the measured window or not (read before it was handed over). */
    final void countSent(boolean measured) {
        run.stats.sent.increment();
        if (measured) {
            run.stats.measuredSent.increment();
        }
    }

    /**
     * A report was confirmed (PUBACK, 2.04, or - TCP - written); {@code latencyNanos < 0} when the transport has no
     * latency to measure.
     */
    final void countConfirmed(boolean measured, long latencyNanos, long reportSeq, String report) {
        run.stats.acked.increment();
        if (latencyNanos >= 0) {
            run.intervalLatency.recordNanos(latencyNanos);
        }
        if (measured) {
            run.stats.measuredAcked.increment();
            if (latencyNanos >= 0) {
                run.latency.recordNanos(latencyNanos);
            }
        }
        if (sample && reportSeq > lastConfirmedSeq) {
            lastConfirmedSeq = reportSeq;
            lastConfirmedReport = report;
        }
    }

    /** A report got an answer that is not a success (CoAP error code); it is not stored. */
    final void countRefused(boolean measured) {
        run.stats.refused.increment();
        if (measured) {
            run.stats.measuredRefused.increment();
        }
    }

    /** A sent report will never be confirmed (connection closed, write failed, request timed out). */
    final void countDropped(boolean measured) {
        run.stats.droppedOnClose.increment();
        if (measured) {
            run.stats.measuredDropped.increment();
        }
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    /** At most {@code max} characters of {@code s}, for failure reasons. */
    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
