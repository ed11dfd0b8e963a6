package io.thingport.network.netty;

import java.util.ArrayDeque;

/**
 * The back-pressure bookkeeping of one connection, for every transport: how many uplinks the platform is still
 * storing (their stage has not completed), the ones read off the wire beyond that bound waiting in order, and whether
 * the connection is closing. It only decides; the handler does the channel work it calls for (stop or resume reading,
 * hand an uplink to the platform, close). Not thread-safe: confined to the connection's event loop.
 *
 * <p>Two things differ between transports and are asked for explicitly rather than assumed:
 *
 * <ul>
 *   <li>Uplinks read while the login is being decided: a transport that logs in with its first frame keeps the frames
 *       that arrived meanwhile ({@link #hold}); they go first, in order, once the connection is accepted. A transport
 *       whose protocol forbids them (MQTT before CONNACK) never calls it.</li>
 *   <li>Closing: when the device is owed an answer for each uplink in flight (an MQTT PUBACK), the connection closes
 *       once they are answered ({@link #closeWhenIdle}); when it is owed nothing, it closes at once and drops what is
 *       queued ({@link #closeAtOnce}). Either way no queued uplink is released and reading never resumes.</li>
 * </ul>
 *
 * @param <T> an uplink as the handler keeps it
 */
public final class InflightUplinks<T> {
    private final int maxInflight;
    private final ArrayDeque<T> backlog = new ArrayDeque<>();
    private int inflight;
    private boolean closing;

    /** @param maxInflight uplinks the platform may be storing at once for this connection, at least 1 */
    public InflightUplinks(int maxInflight) {
        if (maxInflight < 1) {
            throw new IllegalArgumentException("maxInflight must be at least 1, not " + maxInflight);
        }
        this.maxInflight = maxInflight;
    }

    /**
     * Takes an uplink off the wire: {@code true} if it may go to the platform now (the caller then calls
     * {@link #started()}), {@code false} if it was queued behind the bound or behind earlier queued ones.
     */
    public boolean admit(T uplink) {
        if (inflight >= maxInflight || !backlog.isEmpty()) {
            backlog.add(uplink);
            return false;
        }
        return true;
    }

    /**
     * Queues an uplink read while the connection may not deliver yet (its login is being decided), whatever the room:
     * it is released by {@link #nextReady()} before any uplink admitted later.
     */
    public void hold(T uplink) {
        backlog.add(uplink);
    }

    /** Counts an uplink handed to the platform; {@code true} if the bound is now reached and reading must stop. */
    public boolean started() {
        return ++inflight >= maxInflight;
    }

    /** Counts an uplink the platform has answered (stored or not), also while closing. */
    public void finished() {
        inflight--;
    }

    /** The oldest queued uplink if there is room for it and the connection is not closing, else {@code null}. */
    public T nextReady() {
        if (closing || inflight >= maxInflight) {
            return null;
        }
        return backlog.poll();
    }

    /** Whether reading may resume: room below the bound, nothing queued, not closing. */
    public boolean mayRead() {
        return !closing && inflight < maxInflight && backlog.isEmpty();
    }

    /**
     * A close that waits for the answers in flight: {@code true} if nothing is in flight and the connection may close
     * now; otherwise the connection is marked closing, and closes when {@link #idle()} after the last answer. Queued
     * uplinks stay queued but are never released.
     */
    public boolean closeWhenIdle() {
        if (inflight == 0) {
            return true;
        }
        closing = true;
        return false;
    }

    /**
     * A close that waits for nothing (the device is owed no answer for the uplinks in flight): the connection is marked
     * closing and the queued uplinks, never handed to the platform, are dropped. The ones in flight still count down
     * with {@link #finished()}. Idempotent.
     */
    public void closeAtOnce() {
        closing = true;
        backlog.clear();
    }

    /** Whether a close was asked for ({@link #closeAtOnce} always, {@link #closeWhenIdle} with uplinks in flight). */
    public boolean closing() {
        return closing;
    }

    /** Nothing in flight. */
    public boolean idle() {
        return inflight == 0;
    }

    /** Uplinks handed to the platform whose stage has not completed. */
    public int inflight() {
        return inflight;
    }

    /** Uplinks queued (held or admitted beyond the bound), not yet handed to the platform. */
    public int queued() {
        return backlog.size();
    }
}
