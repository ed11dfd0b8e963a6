package io.thingport.network.netty;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The back-pressure bookkeeping of one connection, for every transport: how many uplinks the platform is still
 * storing (their stage has not completed), the ones read off the wire beyond that bound waiting in order, the ones the
 * platform did not take for now ({@code UNAVAILABLE}) waiting to be offered again, and whether the connection is
 * closing. It only decides; the handler does the channel work it calls for (stop or resume reading, hand an uplink to
 * the platform, start the pause, close). Not thread-safe: confined to the connection's event loop.
 *
 * <p>Uplinks are told apart by identity: each one read off the wire is its own object.
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
 * <p>The platform at its bound ({@link #unavailable}): the uplink is not answered to the device; the connection
 * pauses (no uplink goes to the platform, reading stops) for {@link #pauseMillis()}, then ({@link #resume()}) the
 * uplinks refused meanwhile are offered again first, in the order they were first read, before anything read after
 * them. The pause starts at {@value #FIRST_PAUSE_MILLIS} ms and doubles with each refusal that follows without an
 * uplink taken in between, up to {@value #MAX_PAUSE_MILLIS} ms; it goes on as long as the connection lives.
 *
 * @param <T> an uplink as the handler keeps it
 */
public final class InflightUplinks<T> {
    /** The pause after the platform first answered {@code UNAVAILABLE}, in milliseconds. */
    public static final long FIRST_PAUSE_MILLIS = 50;
    /** The longest pause, in milliseconds: refusals in a row double the pause up to this. */
    public static final long MAX_PAUSE_MILLIS = 1000;

    /** An uplink handed to the platform and not answered for good: in flight, or refused for now and waiting. */
    private static final class Offered<T> {
        final T uplink;
        boolean waiting;

        Offered(T uplink) {
            this.uplink = uplink;
        }
    }

    private final int maxInflight;
    private final ArrayDeque<T> backlog = new ArrayDeque<>();
    /** In the order first handed to the platform; at most {@code maxInflight} long. */
    private final List<Offered<T>> offered = new ArrayList<>();
    private int inflight;
    private int waiting;
    private boolean paused;
    private long pause;
    private long nextPause = FIRST_PAUSE_MILLIS;
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
     * {@link #started}), {@code false} if it was queued behind the bound, behind earlier queued or refused ones, or
     * because the connection is paused.
     */
    public boolean admit(T uplink) {
        if (paused || waiting > 0 || inflight >= maxInflight || !backlog.isEmpty()) {
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

    /**
     * Counts an uplink handed to the platform (for the first time, or again after a pause); {@code true} if the bound
     * is now reached and reading must stop.
     */
    public boolean started(T uplink) {
        if (find(uplink) == null) {
            offered.add(new Offered<>(uplink));
        }
        return ++inflight >= maxInflight;
    }

    /**
     * Counts an uplink the platform has answered for good (stored, or refused for another reason than being at its
     * bound), also while closing. The next pause starts again at {@value #FIRST_PAUSE_MILLIS} ms.
     */
    public void finished(T uplink) {
        Offered<T> o = find(uplink);
        if (o == null || o.waiting) {
            throw new IllegalStateException("the uplink is not in flight");
        }
        offered.remove(o);
        inflight--;
        nextPause = FIRST_PAUSE_MILLIS;
    }

    /**
     * The platform did not take an uplink in flight because it is at its bound ({@code UNAVAILABLE}): it waits to be
     * offered again, and the connection pauses. Returns {@code true} if a pause starts now: the caller stops reading
     * and calls {@link #resume()} after {@link #pauseMillis()}; {@code false} if the connection is paused already (the
     * uplink joins the ones waiting for that pause) or closing (the uplink is dropped, never answered).
     */
    public boolean unavailable(T uplink) {
        Offered<T> o = find(uplink);
        if (o == null || o.waiting) {
            throw new IllegalStateException("the uplink is not in flight");
        }
        inflight--;
        if (closing) {
            offered.remove(o);
            return false;
        }
        o.waiting = true;
        waiting++;
        if (paused) {
            return false;
        }
        paused = true;
        pause = nextPause;
        nextPause = Math.min(2 * nextPause, MAX_PAUSE_MILLIS);
        return true;
    }

    /** The length of the pause that {@link #unavailable} started, in milliseconds. */
    public long pauseMillis() {
        return pause;
    }

    /** The pause is over: the refused uplinks may go again ({@link #nextReady()}), oldest first. */
    public void resume() {
        paused = false;
    }

    /** Whether the connection is in a pause that {@link #unavailable} started. */
    public boolean paused() {
        return paused;
    }

    /**
     * The next uplink to hand to the platform if there is room and the connection is neither paused nor closing, else
     * {@code null}: first the refused ones, oldest first, then the queued ones in order.
     */
    public T nextReady() {
        if (closing || paused || inflight >= maxInflight) {
            return null;
        }
        if (waiting > 0) {
            for (Offered<T> o : offered) {
                if (o.waiting) {
                    o.waiting = false;
                    waiting--;
                    return o.uplink;
                }
            }
        }
        return backlog.poll();
    }

    /** Whether reading may resume: room below the bound, nothing queued or waiting, not paused, not closing. */
    public boolean mayRead() {
        return !closing && !paused && waiting == 0 && inflight < maxInflight && backlog.isEmpty();
    }

    /**
     * A close that waits for the answers in flight: {@code true} if nothing is in flight and the connection may close
     * now; otherwise the connection is marked closing, and closes when {@link #idle()} after the last answer. Queued
     * uplinks stay queued but are never released; refused ones waiting for a pause are dropped (never answered).
     */
    public boolean closeWhenIdle() {
        dropWaiting();
        if (inflight == 0) {
            return true;
        }
        closing = true;
        return false;
    }

    /**
     * A close that waits for nothing (the device is owed no answer for the uplinks in flight): the connection is marked
     * closing and the queued and refused uplinks, not with the platform, are dropped. The ones in flight still count
     * down with {@link #finished} or {@link #unavailable}. Idempotent.
     */
    public void closeAtOnce() {
        closing = true;
        backlog.clear();
        dropWaiting();
    }

    private void dropWaiting() {
        for (Iterator<Offered<T>> it = offered.iterator(); it.hasNext(); ) {
            if (it.next().waiting) {
                it.remove();
            }
        }
        waiting = 0;
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

    /** Uplinks the platform did not take for now, waiting to be offered again. */
    public int waiting() {
        return waiting;
    }

    private Offered<T> find(T uplink) {
        for (Offered<T> o : offered) {
            if (o.uplink == uplink) {
                return o;
            }
        }
        return null;
    }
}
