package io.thingport.core.internal.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The buffer in front of one action. Rows of one device are delivered one at a time, in order; a row that fails is
 * retried with back-off ({@link RetryPolicy}) while the device's later rows wait behind it, and other devices' rows go on
 * (at most {@code maxInFlight} at once). The buffer holds at most {@code capacity} rows: {@link #offer} refuses more.
 * A row is handed to {@link Outcome} exactly once: delivered, or given up on after its retries (at once when the peer's
 * refusal is {@linkplain RuleActionException#permanent() permanent}).
 */
public final class DeliveryQueue {
    /** Sends a row; the stage fails when the action did not take it. */
    public interface Sink {
        CompletionStage<Void> send(Delivery delivery);
    }

    /** What became of a row: called once per row, never under the queue's lock. */
    public interface Outcome {
        void delivered(Delivery delivery, int attempts, long latencyNanos);

        void retrying(Delivery delivery, int attempts, Throwable error);

        void gaveUp(Delivery delivery, int attempts, Throwable error);
    }

    private static final class Lane {
        final String key;
        final ArrayDeque<Item> items = new ArrayDeque<>();
        /** A row of this device is being sent or waits for its retry: the others wait. */
        boolean busy;
        /** The head row waits for its retry (not in flight). */
        boolean backingOff;

        Lane(String key) {
            this.key = key;
        }
    }

    private static final class Item {
        final Delivery delivery;
        final long enqueued = System.nanoTime();
        int attempts;

        Item(Delivery delivery) {
            this.delivery = delivery;
        }
    }

    private final int capacity;
    private final int maxInFlight;
    private final RetryPolicy retry;
    private final Sink sink;
    private final Outcome outcome;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final long sendTimeoutMs;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    private int size;
    private int inFlight;
    private volatile boolean closed;

    /**
     * @param sendTimeoutMs a send not answered within it fails (and is retried)
     * @param executor runs the sends (a sink may block: a Kafka producer waiting for metadata), never the caller of
     *                 {@link #offer}, which is the rule's route
     */
    public DeliveryQueue(int capacity, int maxInFlight, RetryPolicy retry, Sink sink, Outcome outcome, ScheduledExecutorService scheduler,
                         Executor executor, long sendTimeoutMs) {
        this.capacity = capacity;
        this.maxInFlight = maxInFlight;
        this.retry = retry;
        this.sink = sink;
        this.outcome = outcome;
        this.scheduler = scheduler;
        this.executor = executor;
        this.sendTimeoutMs = sendTimeoutMs;
    }

    /** Whether {@link #close} ran: an offer refused now is not a full buffer. */
    public boolean isClosed() {
        return closed;
    }

    /** Queues a row; false (nothing queued) when the buffer is full or the queue closed. */
    public boolean offer(Delivery delivery) {
        List<Runnable> work;
        synchronized (this) {
            if (closed || size >= capacity) {
                return false;
            }
            String key = delivery.deviceId() == null ? "" : delivery.deviceId();
            Lane lane = lanes.computeIfAbsent(key, Lane::new);
            lane.items.add(new Item(delivery));
            size++;
            if (!lane.busy && lane.items.size() == 1) {
                ready.add(lane);
            }
            work = pump();
        }
        work.forEach(Runnable::run);
        return true;
    }

    /** Rows buffered or being delivered. */
    public synchronized int size() {
        return size;
    }

    /**
     * Stops taking rows and returns those not yet handed to the action (in flight ones finish on their own), in order per
     * device, so that the caller keeps them (the failed-message store).
     */
    public List<Delivery> close() {
        List<Delivery> left = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Lane lane : lanes.values()) {
                boolean first = true;
                for (Item item : lane.items) {
                    if (!(first && lane.busy && !lane.backingOff)) {
                        left.add(item.delivery);
                    }
                    first = false;
                }
                if (lane.busy && !lane.backingOff && !lane.items.isEmpty()) {
                    Item head = lane.items.peek();
                    lane.items.clear();
                    lane.items.add(head);
                } else {
                    lane.items.clear();
                }
            }
            size -= left.size();
            ready.clear();
        }
        return left;
    }

    /** Starts deliveries while slots are free; runs under the lock, returns the sends to run after it. */
    private List<Runnable> pump() {
        List<Runnable> sends = new ArrayList<>();
        while (!closed && inFlight < maxInFlight && !ready.isEmpty()) {
            Lane lane = ready.poll();
            if (lane.items.isEmpty()) {
                continue;
            }
            lane.busy = true;
            inFlight++;
            Item item = lane.items.peek();
            sends.add(dispatch(lane, item));
        }
        return sends;
    }

    private void send(Lane lane, Item item) {
        item.attempts++;
        CompletableFuture<Void> stage;
        try {
            stage = sink.send(item.delivery).toCompletableFuture();
        } catch (RuntimeException e) {
            finished(lane, item, e);
            return;
        }
        // a peer that never answers must not hold the device's rows for ever (the row may then arrive twice)
        stage.orTimeout(sendTimeoutMs, TimeUnit.MILLISECONDS).whenComplete((ok, error) -> finished(lane, item, error));
    }

    /** Hands a send to the executor; one it refuses (shut down) fails like a send that failed. */
    private Runnable dispatch(Lane lane, Item item) {
        return () -> {
            try {
                executor.execute(() -> send(lane, item));
            } catch (RejectedExecutionException e) {
                item.attempts++;
                finished(lane, item, e);
            }
        };
    }

    private void finished(Lane lane, Item item, Throwable error) {
        int attempts = item.delivery.attempts() + item.attempts;
        boolean again;
        List<Runnable> work;
        synchronized (this) {
            inFlight--;
            // decided under the lock, so that close() either sees the row waiting for its retry or never again
            again = error != null && item.attempts <= retry.retries() && !closed && !RuleActionException.isPermanent(error);
            if (again) {
                lane.backingOff = true;
            } else {
                lane.items.poll();
                size--;
                lane.busy = false;
                if (lane.items.isEmpty()) {
                    lanes.remove(lane.key, lane);
                } else {
                    ready.add(lane);
                }
            }
            work = pump();
        }
        if (again) {
            outcome.retrying(item.delivery, attempts, error);
            try {
                scheduler.schedule(() -> resume(lane), retry.delayAfter(item.attempts), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                resume(lane);
            }
        } else if (error == null) {
            outcome.delivered(item.delivery, attempts, System.nanoTime() - item.enqueued);
        } else {
            outcome.gaveUp(item.delivery, attempts, error);
        }
        work.forEach(Runnable::run);
    }

    /** After a back-off: the device's lane may send its head row again. */
    private void resume(Lane lane) {
        List<Runnable> work;
        synchronized (this) {
            lane.backingOff = false;
            if (closed) {
                return; // close() handed the waiting row to its caller
            }
            if (inFlight < maxInFlight) {
                lane.busy = true;
                inFlight++;
                Item item = lane.items.peek();
                work = List.of(dispatch(lane, item));
            } else {
                lane.busy = false;
                ready.addFirst(lane);
                work = List.of();
            }
        }
        work.forEach(Runnable::run);
    }
}
