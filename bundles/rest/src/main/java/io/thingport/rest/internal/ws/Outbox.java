package io.thingport.rest.internal.ws;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What a connection has yet to send, in order: a bounded queue with one message in flight at a time, handed to an
 * asynchronous {@link Sender} (no thread ever waits for the network in here). Subscriptions {@link #put} their events
 * and wait, at most a given time, for room; replies are {@link #offer}ed and never wait. Once a send fails the outbox
 * is closed and {@code onFailure} is told. {@code nanoTime} measures how long a send has been in flight.
 *
 * <p>Every message has an owner (a subscription, or {@code null} for a reply); once an owner says it is cancelled,
 * {@link #cancel(Owner)} drops its queued messages and its later ones are refused, so that nothing of a subscription
 * follows the reply to its cancellation.
 */
public final class Outbox {
    /** Sends one text; calls {@code done} once it is written ({@code null}) or failed. */
    public interface Sender {
        void send(String text, Consumer<Throwable> done);
    }

    /** Who queues messages: refused once it is cancelled. */
    public interface Owner {
        boolean isCancelled();
    }

    /** What became of a {@link #put}. */
    public enum Put {
        QUEUED, CANCELLED, TIMEOUT, CLOSED
    }

    private record Item(Owner owner, String text) {
    }

    private final int capacity;
    private final Sender sender;
    private final Consumer<Throwable> onFailure;
    private final LongSupplier nanoTime;
    private final Deque<Item> queue = new ArrayDeque<>();
    private boolean inFlight;
    private long inFlightSince;
    private boolean pumping;
    private boolean closed;
    private Runnable whenDrained;

    public Outbox(int capacity, Sender sender, Consumer<Throwable> onFailure, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.sender = sender;
        this.onFailure = onFailure;
        this.nanoTime = nanoTime;
    }

    /** Queues a reply without waiting; {@code false} when the outbox is full, draining to close, or closed. */
    public boolean offer(String text) {
        synchronized (this) {
            if (closed || whenDrained != null || queue.size() >= capacity) {
                return false;
            }
            queue.add(new Item(null, text));
        }
        pump();
        return true;
    }

    /** Queues an owner's message, waiting at most {@code wait} (real time) for room. */
    public Put put(Owner owner, String text, Duration wait) throws InterruptedException {
        synchronized (this) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                if (closed || whenDrained != null) {
                    return Put.CLOSED;
                }
                if (owner.isCancelled()) {
                    return Put.CANCELLED;
                }
                if (queue.size() < capacity) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Put.TIMEOUT;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            queue.add(new Item(owner, text));
        }
        pump();
        return Put.QUEUED;
    }

    /** Drops the queued messages of an owner that is now cancelled (and wakes its waiting put). */
    public synchronized void cancel(Owner owner) {
        queue.removeIf(i -> i.owner() == owner);
        notifyAll();
    }

    /** Accepts nothing more and runs {@code then} once everything queued was sent (at once when nothing is). */
    public void closeWhenDrained(Runnable then) {
        synchronized (this) {
            if (closed || whenDrained != null) {
                return;
            }
            whenDrained = then;
            notifyAll();
        }
        pump();
    }

    /** Drops everything and accepts nothing more. */
    public synchronized void close() {
        closed = true;
        queue.clear();
        notifyAll();
    }

    /** How long the message in flight has been waiting for the network, in nanoseconds; 0 when none is. */
    public synchronized long inFlightNanos() {
        return inFlight ? nanoTime.getAsLong() - inFlightSince : 0;
    }

    public synchronized int size() {
        return queue.size();
    }

    private void pump() {
        synchronized (this) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        while (true) {
            Item next;
            Runnable drained = null;
            synchronized (this) {
                if (inFlight || closed || queue.isEmpty()) {
                    pumping = false;
                    if (!inFlight && !closed && whenDrained != null) {
                        drained = whenDrained;
                        closed = true;
                    }
                    next = null;
                } else {
                    next = queue.poll();
                    inFlight = true;
                    inFlightSince = nanoTime.getAsLong();
                    notifyAll();
                }
            }
            if (next == null) {
                if (drained != null) {
                    drained.run();
                }
                return;
            }
            try {
                sender.send(next.text(), this::sent);
            } catch (RuntimeException e) {
                sent(e);
            }
        }
    }

    private void sent(Throwable failure) {
        synchronized (this) {
            inFlight = false;
            if (failure != null) {
                closed = true;
                queue.clear();
                notifyAll();
            }
        }
        if (failure != null) {
            onFailure.accept(failure);
        } else {
            pump();
        }
    }
}
