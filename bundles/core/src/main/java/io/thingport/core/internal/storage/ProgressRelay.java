package io.thingport.core.internal.storage;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * Carries the progress of a {@link ReportingWork}, which runs on a storage writer, to the thread waiting for it, and
 * lets that thread give up on the work without leaving anything behind.
 *
 * <p>The waiting thread hands every report to its listener (in order, a value only when it is larger than the last
 * one: a batch the writer retries runs its work again). It waits as long as the work keeps reporting: when neither a
 * report nor the end comes within {@code stall}, when the listener throws or when the waiting thread is interrupted, it
 * gives up. Before its transaction commits, the work waits for the waiting thread to have heard its last report and to
 * say go on; a work given up on throws at its next report or there, so it is rolled back: the caller is told of a
 * failure only when nothing was stored.
 */
final class ProgressRelay implements ReportingWork.Progress {
    private static final int END = -1;
    private static final int FINISHED = -2;

    private final Duration stall;
    private final BlockingQueue<Integer> events = new LinkedBlockingQueue<>();
    /** true: the work may commit; false: the caller gave up on it. Whichever comes first holds. */
    private final CompletableFuture<Boolean> decision = new CompletableFuture<>();

    ProgressRelay(Duration stall) {
        this.stall = stall;
    }

    /** The work to queue on a writer: {@code work}, then the wait for the caller's go-ahead. */
    <T> SqlWork<T> wrap(ReportingWork<T> work) {
        return c -> {
            T result = work.apply(c, this);
            confirm();
            return result;
        };
    }

    /** On the writer: a report of the work; throws once the caller gave up. */
    @Override
    public void report(int done) {
        if (Boolean.FALSE.equals(decision.getNow(null))) {
            throw givenUp();
        }
        events.add(Math.max(done, 0));
    }

    /** On the writer, after the work: waits for the caller to have heard every report and to say go on. */
    private void confirm() {
        events.add(END);
        boolean go;
        try {
            go = decision.get(stall.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            go = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            go = false;
        }
        if (!go) {
            decision.complete(false);
            throw givenUp();
        }
    }

    private static ThingportException givenUp() {
        return new ThingportException(ErrorCode.INTERNAL, "the caller stopped waiting for the work; it was rolled back");
    }

    /**
     * On the caller: waits for {@code pending} (the queued {@link #wrap wrapped} work), handing {@code listener} every
     * larger report, and returns its result or throws what it ended with ({@link Storage#unwrap}).
     */
    <T> T await(CompletableFuture<T> pending, IntConsumer listener) {
        pending.whenComplete((r, e) -> events.add(FINISHED));
        int last = -1;
        boolean interrupted = false;
        try {
            while (true) {
                Integer event;
                try {
                    event = events.poll(stall.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    throw giveUp(new ThingportException(ErrorCode.INTERNAL, "interrupted while waiting for storage; nothing"
                            + " was stored"));
                }
                if (event == null) {
                    throw giveUp(new ThingportException(ErrorCode.INTERNAL, "storage made no progress within "
                            + stall.toSeconds() + " s; nothing was stored"));
                }
                if (event == FINISHED) {
                    return outcome(pending);
                }
                if (event == END) {
                    if (!decision.complete(true) && Boolean.FALSE.equals(decision.getNow(null))) {
                        // the writer gave up waiting for us: it rolls back
                        return outcome(pending);
                    }
                    return committed(pending);
                }
                if (event > last) {
                    last = event;
                    try {
                        listener.accept(event);
                    } catch (RuntimeException e) {
                        throw giveUp(e);
                    } catch (Error e) {
                        throw giveUp(e);
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Gives up on the work (it rolls back at its next report or before its commit) and returns what to throw. */
    private <X extends Throwable> X giveUp(X reason) {
        decision.complete(false);
        return reason;
    }

    /** The work is committing: waits for the commit (uninterrupted, at most {@code stall}). */
    private <T> T committed(CompletableFuture<T> pending) {
        boolean interrupted = false;
        long end = System.nanoTime() + stall.toNanos();
        try {
            while (true) {
                try {
                    return pending.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw Storage.unwrap(e.getCause());
                } catch (TimeoutException e) {
                    throw new ThingportException(ErrorCode.INTERNAL, "storage did not confirm the commit within "
                            + stall.toSeconds() + " s");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <T> T outcome(CompletableFuture<T> pending) {
        try {
            return pending.join();
        } catch (RuntimeException e) {
            throw Storage.unwrap(e);
        }
    }
}
