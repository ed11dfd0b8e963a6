package io.thingport.api.network;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The TLS and DTLS handshakes one network component refused (an untrusted or missing client certificate under
 * {@code clientAuth = require}, a wrong pre-shared key, a protocol or cipher mismatch, plain text on a TLS port):
 * counted, the last reason kept for the component's {@link NetworkComponent#status() status}, and logged at WARN at
 * most once per {@value #LOG_INTERVAL_MS} ms with the number refused since, so that a peer retrying in a loop cannot
 * flood the log. Transport-neutral: a component creates one when it starts and has its transport's handshake watcher
 * (Netty's, Scandium's) {@link #record(Object, Throwable) record} each refusal. Thread-safe.
 */
public final class RefusedHandshakes {
    /** At most one warning per this many milliseconds; the refusals in between are counted in the next one. */
    public static final long LOG_INTERVAL_MS = 10_000;

    private final String componentId;
    private final Consumer<String> warn;
    private final LongSupplier clock;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unlogged = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    private final AtomicReference<String> lastReason = new AtomicReference<>();

    /**
     * @param componentId the component, named in the warning
     * @param warn        logs one warning line at WARN (e.g. {@code LOG::warn} of the component's logger)
     */
    public RefusedHandshakes(String componentId, Consumer<String> warn) {
        this(componentId, warn, System::currentTimeMillis);
    }

    /** As {@link #RefusedHandshakes(String, Consumer)}, with the clock (milliseconds) of the rate limit. */
    public RefusedHandshakes(String componentId, Consumer<String> warn, LongSupplier clock) {
        this.componentId = componentId;
        this.warn = warn;
        this.clock = clock;
    }

    /** Records one refused handshake: its peer and why, the innermost cause's message (or its type, without one). */
    public void record(Object peer, Throwable cause) {
        record(peer, describe(cause));
    }

    /** Records one refused handshake: its peer and why. */
    public void record(Object peer, String reason) {
        String last = peer + ": " + reason;
        lastReason.set(last);
        long total = refused.incrementAndGet();
        long pending = unlogged.incrementAndGet();
        long now = clock.getAsLong();
        long logged = lastLogged.get();
        if ((logged == Long.MIN_VALUE || now - logged >= LOG_INTERVAL_MS) && lastLogged.compareAndSet(logged, now)) {
            unlogged.addAndGet(-pending);
            warn.accept("Network component " + componentId + ": TLS handshake refused, " + last + " (" + total + " in all"
                    + (pending > 1 ? ", " + (pending - 1) + " more since the last message" : "") + ")");
        }
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

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
