package io.thingport.network.netty;

import java.util.ArrayDeque;

/**
 * The back-pressure bookkeeping of one connection: how many uplinks the platform is still storing (MQTT: QoS 0 or 1
 * alike), the ones read off the wire beyond that bound waiting in order, and whether the connection is closing once
 * the ones in flight are answered. It only decides; the handler does the channel work it calls for (stop or resume
 * reading, hand an uplink to the platform, close). Not thread-safe: confined to the connection's event loop.
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

    /** Counts an uplink handed to the platform; {@code true} if the bound is now reached and reading must stop. */
    public boolean started() {
        return ++inflight >= maxInflight;
    }

    /** Counts an uplink the platform has answered (stored or not). */
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
     * A close was asked for: {@code true} if nothing is in flight and the connection may close now; otherwise the
     * connection is marked closing, and closes when {@link #idle()} after the last answer.
     */
    public boolean closeWhenIdle() {
        if (inflight == 0) {
            return true;
        }
        closing = true;
        return false;
    }

    /** Whether a close waits for the uplinks in flight. */
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

    /** Uplinks queued, not yet handed to the platform. */
    public int queued() {
        return backlog.size();
    }
}
