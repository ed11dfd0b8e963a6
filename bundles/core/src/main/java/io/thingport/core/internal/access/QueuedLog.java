package io.thingport.core.internal.access;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log written off its callers' threads: a bounded queue that one thread of its own drains, a batch at a time, into a
 * {@link Sink}. {@link #offer} never blocks; what a full queue or a failed write loses is counted and said in one
 * WARN line a minute at most, with the counts.
 *
 * @param <T> an entry
 */
final class QueuedLog<T> {
    private static final Logger LOG = LoggerFactory.getLogger(QueuedLog.class);
    static final int CAPACITY = 10_000;
    static final int BATCH = 1000;
    private static final long WARN_INTERVAL_MS = 60_000;
    private static final long CLOSE_WAIT_MS = 5_000;

    /** Where a batch goes; it throws when the batch was not stored. */
    @FunctionalInterface
    interface Sink<T> {
        void write(List<T> batch) throws Exception;
    }

    private final String what;
    private final BlockingQueue<T> queue;
    private final int batch;
    private final Sink<T> sink;
    private final LongSupplier clock;
    private final Thread thread;
    private volatile boolean running = true;

    /** Counters and the time of the last warning, guarded by this monitor. */
    private final Object counts = new Object();
    private long accepted;
    private long done;
    private long lostFull;
    private long lostFailed;
    private String lastFailure;
    private long totalLost;
    private long lastWarn;
    private boolean warned;

    /**
     * @param what   what an entry is called in the warning, e.g. {@code access-log records}
     * @param thread the name of the draining thread
     * @param clock  epoch milliseconds, for the warnings' interval
     */
    QueuedLog(String what, String thread, int capacity, int batch, Sink<T> sink, LongSupplier clock) {
        this.what = what;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batch = batch;
        this.sink = sink;
        this.clock = clock;
        this.thread = new Thread(this::drain, thread);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues an entry; returns {@code false} (and counts it as lost) when the queue is full or closed. */
    boolean offer(T entry) {
        if (running && queue.offer(entry)) {
            synchronized (counts) {
                accepted++;
            }
            return true;
        }
        synchronized (counts) {
            lostFull++;
            totalLost++;
        }
        warnIfDue();
        return false;
    }

    /** Entries lost since the start (a full queue or a failed write). */
    long lost() {
        synchronized (counts) {
            return totalLost;
        }
    }

    /** Waits until every entry accepted so far is written or given up; {@code false} when the time ran out first. */
    boolean flush(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (counts) {
            long target = accepted;
            while (done < target) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                counts.wait(left);
            }
            return true;
        }
    }

    /** Stops taking entries, writes what is queued (for a few seconds at most) and stops the thread. */
    void close() {
        running = false;
        try {
            thread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }

    private void drain() {
        List<T> entries = new ArrayList<>(batch);
        while (running || !queue.isEmpty()) {
            try {
                T first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    entries.add(first);
                    queue.drainTo(entries, batch - 1);
                    write(entries);
                    entries.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            warnIfDue();
        }
    }

    private void write(List<T> entries) throws InterruptedException {
        String failure = null;
        try {
            sink.write(entries);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        synchronized (counts) {
            if (failure != null) {
                lostFailed += entries.size();
                totalLost += entries.size();
                lastFailure = failure;
            }
            done += entries.size();
            counts.notifyAll();
        }
    }

    /** Logs what was lost since the last warning, if anything was and a minute has passed since. */
    private void warnIfDue() {
        long full;
        long failed;
        String failure;
        synchronized (counts) {
            long now = clock.getAsLong();
            if (lostFull + lostFailed == 0 || (warned && now - lastWarn < WARN_INTERVAL_MS)) {
                return;
            }
            warned = true;
            lastWarn = now;
            full = lostFull;
            failed = lostFailed;
            failure = lastFailure;
            lostFull = 0;
            lostFailed = 0;
            lastFailure = null;
        }
        if (failed == 0) {
            LOG.warn("{} {} lost: the queue of {} was full (one warning a minute at most)", full, what, queue.remainingCapacity()
                    + queue.size());
        } else {
            LOG.warn("{} {} lost: {} because the queue was full, {} because storage failed ({}) (one warning a minute at most)",
                    full + failed, what, full, failed, failure);
        }
    }
}
