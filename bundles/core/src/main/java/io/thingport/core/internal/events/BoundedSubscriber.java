package io.thingport.core.internal.events;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands events to one subscriber through a queue of its own, bounded, drained on a pool thread: the publisher (the
 * storage writer, whose completions are the devices' acknowledgements) never waits for a subscriber, however slow or
 * stuck (a paused console, a slow rule). A subscriber that falls {@code capacity} events behind, or whose listener
 * throws, is ended: its queue is dropped, it gets no more events, and {@code onEnd} is told why, once. Events reach
 * one subscriber in the order they were offered, one at a time.
 */
public final class BoundedSubscriber<T> {
    private static final int BATCH = 256;

    private final ArrayBlockingQueue<T> queue;
    private final int capacity;
    private final Consumer<T> listener;
    private final Executor executor;
    private final Consumer<String> onEnd;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();

    public BoundedSubscriber(int capacity, Consumer<T> listener, Executor executor, Consumer<String> onEnd) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.listener = listener;
        this.executor = executor;
        this.onEnd = onEnd;
    }

    /** Queues an event without waiting; {@code false} when the subscriber has ended (now or before). */
    public boolean offer(T event) {
        if (ended.get()) {
            return false;
        }
        if (!queue.offer(event)) {
            end("it fell " + capacity + " events behind");
            return false;
        }
        schedule();
        return true;
    }

    /** Ends the subscription from the subscriber's side: nothing more is delivered and {@code onEnd} is not called. */
    public void close() {
        ended.set(true);
        queue.clear();
    }

    public boolean ended() {
        return ended.get();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            for (int i = 0; i < BATCH && !ended.get(); i++) {
                T event = queue.poll();
                if (event == null) {
                    break;
                }
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    end("it failed: " + e);
                }
            }
        } finally {
            scheduled.set(false);
            // An event offered while this drain was finishing would otherwise wait for the next offer.
            if (!queue.isEmpty() && !ended.get()) {
                schedule();
            }
        }
    }

    private void end(String why) {
        if (ended.compareAndSet(false, true)) {
            queue.clear();
            onEnd.accept(why);
        }
    }
}
