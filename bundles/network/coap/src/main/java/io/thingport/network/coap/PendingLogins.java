package io.thingport.network.coap;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The logins whose check the platform has not answered yet, each with what is needed to answer it: at most
 * {@code max} at once (a login beyond is refused at once, holding nothing), and each at most {@code timeout} (then
 * {@link #expire()} hands it back to be refused). Anyone can send a login from a forged source address, so this is
 * what bounds the state such logins leave in the component: a ticket lives until its check completes or times out,
 * whichever is first, and its value is released then even if the platform never answers (the platform's callback
 * holds only the emptied ticket).
 * <p>
 * Thread-safe: logins begin on Californium's protocol threads, complete on the platform's threads, expire on the
 * component's timer.
 *
 * @param <T> what answers a login (its exchange)
 */
final class PendingLogins<T> {
    private final int max;
    private final long timeoutNanos;
    private final LongSupplier nanoClock;
    /** Guarded by this: in the order the logins began. */
    private final LinkedHashSet<Ticket<T>> pending = new LinkedHashSet<>();

    /** One pending login: its start and, until it completes or expires, its value. */
    static final class Ticket<T> {
        private final long startedNanos;
        /** Guarded by the owning {@link PendingLogins}. */
        private T value;

        private Ticket(long startedNanos, T value) {
            this.startedNanos = startedNanos;
            this.value = value;
        }
    }

    PendingLogins(int max, int timeoutSeconds) {
        this(max, TimeUnit.SECONDS.toNanos(timeoutSeconds), System::nanoTime);
    }

    /** For tests: the timeout in nanoseconds and the clock. */
    PendingLogins(int max, long timeoutNanos, LongSupplier nanoClock) {
        if (max < 1 || timeoutNanos < 1) {
            throw new IllegalArgumentException("max and the timeout must be positive");
        }
        this.max = max;
        this.timeoutNanos = timeoutNanos;
        this.nanoClock = nanoClock;
    }

    /** A new pending login holding {@code value}, or {@code null} when {@code max} logins are pending already. */
    synchronized Ticket<T> begin(T value) {
        if (pending.size() >= max) {
            return null;
        }
        Ticket<T> ticket = new Ticket<>(nanoClock.getAsLong(), value);
        pending.add(ticket);
        return ticket;
    }

    /**
     * Ends a login whose check completed: its value, to answer it, or {@code null} when it expired before (it was
     * answered then) or was finished already.
     */
    synchronized T finish(Ticket<T> ticket) {
        if (!pending.remove(ticket)) {
            return null;
        }
        T value = ticket.value;
        ticket.value = null;
        return value;
    }

    /** Ends the logins pending for {@code timeout} or longer: their values, oldest first, to refuse them. */
    List<T> expire() {
        List<T> expired = new ArrayList<>();
        synchronized (this) {
            long now = nanoClock.getAsLong();
            Iterator<Ticket<T>> oldest = pending.iterator();
            while (oldest.hasNext()) {
                Ticket<T> ticket = oldest.next();
                if (now - ticket.startedNanos < timeoutNanos) {
                    break;
                }
                oldest.remove();
                expired.add(ticket.value);
                ticket.value = null;
            }
        }
        return expired;
    }

    synchronized int size() {
        return pending.size();
    }

    int max() {
        return max;
    }
}
