package io.thingport.core.internal.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Work that must run after every write queued before it on any of several writers ({@link PartitionedWriters}): each
 * writer finishes what was queued before the barrier; the others then wait while the runner runs the work in its
 * transaction, and all go on once it is durable. A writer waits at most {@link #WAIT_SECONDS} for the others (the work
 * then fails rather than hanging the writers).
 */
final class Barrier {
    static final long WAIT_SECONDS = 120;

    private final BatchWriter runner;
    private final SqlWork<?> work;
    private final CompletableFuture<Object> done = new CompletableFuture<>();
    private final CountDownLatch arrived;
    private final CountDownLatch released = new CountDownLatch(1);

    Barrier(BatchWriter runner, int writers, SqlWork<?> work) {
        this.runner = runner;
        this.work = work;
        this.arrived = new CountDownLatch(writers - 1);
    }

    boolean isRunner(BatchWriter writer) {
        return writer == runner;
    }

    SqlWork<?> work() {
        return work;
    }

    CompletableFuture<Object> done() {
        return done;
    }

    /** Another writer reached the barrier (or gave up before it); it does not wait. */
    void arrive() {
        arrived.countDown();
    }

    /** Another writer reached the barrier: it waits until the work ran. */
    void arriveAndWait() throws InterruptedException {
        arrived.countDown();
        released.await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The runner: whether every other writer reached the barrier in time. */
    boolean awaitOthers() throws InterruptedException {
        return arrived.await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The runner is done with the work: the other writers go on. */
    void release() {
        released.countDown();
    }
}
