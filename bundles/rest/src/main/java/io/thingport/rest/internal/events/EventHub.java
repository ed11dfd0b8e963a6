package io.thingport.rest.internal.events;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans the device log out to the API's live streams through one subscription: each committed entry is offered to
 * every open stream (a queue offer, never a wait). At most {@code maxStreams} streams are open at once; one more is
 * refused with {@code UNAVAILABLE}. If the device log ends the hub's own subscription (it fell behind), every stream is
 * ended with the reason and the hub subscribes again for new streams.
 */
public final class EventHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    private final DeviceLogService logs;
    private final int maxStreams;
    private final int queueCapacity;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private AutoCloseable subscription;

    public EventHub(DeviceLogService logs, int maxStreams, int queueCapacity) {
        this.logs = logs;
        this.maxStreams = maxStreams;
        this.queueCapacity = queueCapacity;
    }

    /** Opens a stream that receives every entry committed from now on that its filter selects. */
    public synchronized EventStream open(EventFilter filter) {
        if (streams.size() >= maxStreams) {
            throw new ThingportException(ErrorCode.UNAVAILABLE, "the platform already serves " + maxStreams
                    + " live event streams (maxEventStreams in etc/io.thingport.rest.cfg)");
        }
        if (subscription == null) {
            subscription = logs.follow(null, this::deliver, this::lost);
        }
        EventStream[] self = new EventStream[1];
        self[0] = new EventStream(filter, queueCapacity, () -> streams.remove(self[0]));
        streams.add(self[0]);
        return self[0];
    }

    public int size() {
        return streams.size();
    }

    private void deliver(DeviceLogEntry entry) {
        for (EventStream s : streams) {
            s.offer(entry);
        }
    }

    private synchronized void lost(String why) {
        LOG.warn("The Open API's event streams lost the device log ({}): {} streams ended", why, streams.size());
        subscription = null;
        for (EventStream s : streams) {
            s.end("the platform could not keep up with the device log; reconnect with Last-Event-ID to resume");
        }
    }

    @Override
    public synchronized void close() {
        for (EventStream s : streams) {
            s.end("the platform's API is stopping");
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("Closing the device-log subscription failed", e);
            }
            subscription = null;
        }
    }
}
