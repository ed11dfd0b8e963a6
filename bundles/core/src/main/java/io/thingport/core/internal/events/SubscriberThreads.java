package io.thingport.core.internal.events;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads that deliver events to subscribers ({@link BoundedSubscriber}): as many as subscribers busy at once. */
public final class SubscriberThreads {
    private SubscriberThreads() {
    }

    /** A pool of daemon threads named {@code <name>-N}, each kept 60 s after its last delivery. */
    public static ExecutorService create(String name) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
