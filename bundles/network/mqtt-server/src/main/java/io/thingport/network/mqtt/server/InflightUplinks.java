package io.thingport.network.mqtt.server;

import java.util.ArrayDeque;

/**
 * The back-pressure bookkeeping of one MQTT connection: how many uplinks (QoS 0 or 1) the platform is still storing,
 * the ones read off the wire beyond that bound waiting in order, and whether the connection is closing once the
 * ones in flight are answered. It only decides; the handler does the channel work it calls for (stop or resume
 * reading, hand an uplink to the platform, close). Not thread-safe: confined to the connection's event loop.
 *
 * @param <T> an uplink as the handler keeps it
 */
final class InflightUplinks<T> {
    private final int maxInflight;
    private final ArrayDeque<T> backlog = new ArrayDeque<>();
    private int inflight;
    private boolean closing;

    /** @param maxInflight uplinks the platform may be storing at once for this connection, at least 1 */
    InflightUplinks(int maxInflight) {
        if (maxInflight < 1) {
            throw new IllegalArgumentException("maxInflight must be at least 1, not " + maxInflight);
        }
        this.maxInflight = maxInflight;
    }

    /**
     * Takes an uplink off the wire: {@code true} if it may go to the platform now (the caller then calls
     * {@link #started()}), {@code false} if it was queued behind the bound or behind earlier queued ones.
     */
    boolean admit(T uplink) {
        if (inflight >= maxInflight || !backlog.isEmpty()) {
            backlog.add(uplink);
            return false;
        }
        return true;
    }

    /** Counts an uplink handed to the platform; {@code true} if the bound is now reached and reading must stop. */
    boolean started() {
        return ++inflight >= maxInflight;
    }

    /** Counts an uplink the platform has answered (stored or not). */
    void finished() {
        inflight--;
    }

    /** The oldest queued uplink if there is room for it and the connection is not closing, else {@code null}. */
    T nextReady() {
        if (closing || inflight >= maxInflight) {
            return null;
        }
        return backlog.poll();
    }

    /** Whether reading may resume: room below the bound, nothing queued, not closing. */
    boolean mayRead() {
        return !closing && inflight < maxInflight && backlog.isEmpty();
    }

    /**
     * A close was asked for: {@code true} if nothing is in flight and the connection may close now; otherwise the
     * connection is marked closing, and closes when {@link #idle()} after the last answer.
     */
    boolean closeWhenIdle() {
        if (inflight == 0) {
            return true;
        }
        closing = true;
        return false;
    }

    boolean closing() {
        return closing;
    }

    /** Nothing in flight. */
    boolean idle() {
        return inflight == 0;
    }

    int inflight() {
        return inflight;
    }

    int queued() {
        return backlog.size();
    }
}
