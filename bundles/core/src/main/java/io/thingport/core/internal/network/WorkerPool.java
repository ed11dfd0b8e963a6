package io.thingport.core.internal.network;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The gateways' worker threads (login checks, registration replies): a fixed number of threads and a queue bounded by
 * {@code logins.maxQueued}, read at each task, so a change applies at once. A task beyond the bound is rejected with a
 * {@link RejectedExecutionException} naming it; the caller refuses the login as "server busy".
 */
final class WorkerPool extends ThreadPoolExecutor {
    private final IntSupplier maxQueued;

    WorkerPool(int threads, IntSupplier maxQueued) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), named());
        this.maxQueued = maxQueued;
    }

    private static ThreadFactory named() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "thingport-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void execute(Runnable task) {
        int max = maxQueued.getAsInt();
        if (getQueue().size() >= max) {
            throw new RejectedExecutionException(max + " logins are waiting to be checked already (logins.maxQueued)");
        }
        super.execute(task);
    }
}
