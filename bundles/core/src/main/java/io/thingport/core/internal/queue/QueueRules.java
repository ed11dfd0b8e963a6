package io.thingport.core.internal.queue;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandQueueSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The decisions of the command queue, as pure functions: may one more command wait, when does it expire, and what
 * happens to a device's waiting commands when it makes contact (deliver the live ones in queue order, expire the
 * others).
 */
final class QueueRules {
    /**
     * How long after its reply was due a sent command is failed by the sweep: the node that sent it fails it at the due
     * time itself; the sweep is for a command whose node stopped before (a restart).
     */
    static final long SENT_GRACE_MS = 5_000;

    private QueueRules() {
    }

    /** A waiting command as the rules see it: its row id (queue order) and when it expires. */
    record Waiting(long id, long expiresAt) {
    }

    /** What to do with a device's waiting commands: deliver these (in this order), expire those. */
    record Plan(List<Long> deliver, List<Long> expire) {
        Plan {
            deliver = List.copyOf(deliver);
            expire = List.copyOf(expire);
        }
    }

    /**
     * Refuses a command for a device that already has {@code waiting} commands queued when that reaches the product's
     * maximum.
     *
     * @throws ThingportException {@code CONFLICT} naming the device, the limit and what to do
     */
    static void admit(String deviceId, int waiting, CommandQueueSettings settings) {
        if (waiting >= settings.maxLength()) {
            throw new ThingportException(ErrorCode.CONFLICT, "the command queue of device " + deviceId + " is full ("
                    + waiting + " of " + settings.maxLength() + " commands wait for the device's next contact): wait for"
                    + " it to take them, or cancel some (iot:device-queue --cancel)");
        }
    }

    /** When a command queued at {@code queuedAt} expires. */
    static long expiresAt(long queuedAt, CommandQueueSettings settings) {
        return queuedAt + settings.timeToLive().toMillis();
    }

    /** Whether a command that expires at {@code expiresAt} has expired at {@code now}. */
    static boolean expired(long expiresAt, long now) {
        return expiresAt <= now;
    }

    /** Whether a command sent at {@code sentAt}, waiting {@code timeoutMs} for its reply, is surely past it at {@code now}. */
    static boolean replyOverdue(long sentAt, long timeoutMs, long now) {
        return sentAt + timeoutMs + SENT_GRACE_MS <= now;
    }

    /** A device made contact at {@code now}: deliver its live commands in queue (id) order, expire the others. */
    static Plan onContact(List<Waiting> waiting, long now) {
        List<Waiting> ordered = new ArrayList<>(waiting);
        ordered.sort((a, b) -> Long.compare(a.id(), b.id()));
        List<Long> deliver = new ArrayList<>();
        List<Long> expire = new ArrayList<>();
        for (Waiting w : ordered) {
            (expired(w.expiresAt(), now) ? expire : deliver).add(w.id());
        }
        return new Plan(deliver, expire);
    }
}
