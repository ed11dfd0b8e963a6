package io.thingport.rest.internal.events;

import io.thingport.api.device.DeviceLogEntry;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One client's live stream: the entries its filter selects, in a bounded queue that the hub fills without waiting.
 * A client that falls {@code capacity} entries behind is ended ({@link #endedBecause()}), so that it never slows the
 * platform; it may reconnect and resume from storage.
 */
public final class EventStream implements AutoCloseable {
    private final EventFilter filter;
    private final BlockingQueue<DeviceLogEntry> queue;
    private final Runnable onClose;
    private volatile String ended;

    EventStream(EventFilter filter, int capacity, Runnable onClose) {
        this.filter = filter;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.onClose = onClose;
    }

    public EventFilter filter() {
        return filter;
    }

    /** Called by the hub for every committed entry: never blocks. */
    void offer(DeviceLogEntry entry) {
        if (ended == null && filter.matches(entry) && !queue.offer(entry)) {
            end("the client fell more than " + (queue.size() + queue.remainingCapacity())
                    + " events behind; reconnect with Last-Event-ID to resume from storage");
        }
    }

    void end(String why) {
        if (ended == null) {
            ended = why;
        }
    }

    /** The next entry, waiting at most {@code wait}; {@code null} when none came or the stream has ended. */
    public DeviceLogEntry poll(Duration wait) throws InterruptedException {
        if (ended != null) {
            return null;
        }
        return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why the stream was ended by the platform, or {@code null} while it runs. */
    public String endedBecause() {
        return ended;
    }

    @Override
    public void close() {
        end("closed");
        queue.clear();
        onClose.run();
    }
}
