package io.thingport.network.coap;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.KeyMID;
import org.eclipse.californium.core.network.deduplication.Deduplicator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server endpoint's duplicate detection, bounded in count and in time. Californium remembers every request it
 * receives (its message id and source, with the exchange that answers it) so that a retransmission is answered again
 * instead of handled twice. Its own deduplicators keep each request for {@code EXCHANGE_LIFETIME} (247 s) with no
 * bound on their number, so every datagram from a forged source address would hold memory for four minutes. This one
 * keeps a request {@code windowSeconds} (the component's {@code dedupSeconds}) and at most {@code maxRequests} of them
 * (its {@code maxPeers}) whose datagrams together take at most {@value #BYTES_PER_REQUEST} bytes each on average;
 * beyond either bound the oldest request is forgotten early (a retransmission of it is then handled as a new request:
 * the platform recognises a repeated uplink by its message id and refuses a repeated login as a replay). How often
 * that happened is logged at most once a minute.
 * <p>
 * Requests are kept in arrival order, so both the expiry and the eviction take the oldest first. Thread-safe (one
 * lock; every operation is a few map operations); Californium calls it on its protocol threads.
 */
final class BoundedDeduplicator implements Deduplicator {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedDeduplicator.class);
    /** The datagram bytes allowed per remembered request on average: a typical request is well below. */
    static final int BYTES_PER_REQUEST = 2048;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String componentId;
    private final int maxRequests;
    private final long maxBytes;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    /** Guarded by this: in arrival order. */
    private final LinkedHashMap<KeyMID, Remembered> requests = new LinkedHashMap<>();
    /** Guarded by this. */
    private long bytes;
    /** Guarded by this: requests forgotten before their window ended, since the last log line. */
    private long forgottenEarly;
    /** Guarded by this. */
    private long lastLogNanos;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> sweeper;

    private record Remembered(Exchange exchange, long receivedNanos, int bytes) {
    }

    BoundedDeduplicator(String componentId, int maxRequests, int windowSeconds) {
        this(componentId, maxRequests, TimeUnit.SECONDS.toNanos(windowSeconds), System::nanoTime);
    }

    /** For tests: the window in nanoseconds and the clock. */
    BoundedDeduplicator(String componentId, int maxRequests, long windowNanos, LongSupplier nanoClock) {
        if (maxRequests < 1 || windowNanos < 1) {
            throw new IllegalArgumentException("maxRequests and the window must be positive");
        }
        this.componentId = componentId;
        this.maxRequests = maxRequests;
        this.maxBytes = (long) maxRequests * BYTES_PER_REQUEST;
        this.windowNanos = windowNanos;
        this.nanoClock = nanoClock;
        this.lastLogNanos = nanoClock.getAsLong();
    }

    @Override
    public synchronized void setExecutor(ScheduledExecutorService executor) {
        if (sweeper != null) {
            throw new IllegalStateException("the deduplicator of network component " + componentId + " is running");
        }
        this.executor = executor;
    }

    /** Sweeps expired requests a few times per window (at most every second), so that they go without new traffic. */
    @Override
    public synchronized void start() {
        if (sweeper == null && executor != null) {
            long period = Math.max(50, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(windowNanos) / 4));
            sweeper = executor.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }

    @Override
    public synchronized Exchange findPrevious(KeyMID key, Exchange exchange) {
        long now = nanoClock.getAsLong();
        expire(now);
        Remembered previous = requests.get(key);
        if (previous != null) {
            if (previous.exchange().getOrigin() == exchange.getOrigin()) {
                return previous.exchange();
            }
            // A message id of the other direction (as Californium's DEDUPLICATOR_AUTO_REPLACE): the new one counts.
            forget(key);
        }
        remember(key, exchange, now);
        return null;
    }

    @Override
    public synchronized boolean replacePrevious(KeyMID key, Exchange previous, Exchange exchange) {
        long now = nanoClock.getAsLong();
        expire(now);
        Remembered current = requests.get(key);
        if (current != null && current.exchange() != previous) {
            return false;
        }
        if (current != null) {
            forget(key);
        }
        remember(key, exchange, now);
        return true;
    }

    @Override
    public synchronized Exchange find(KeyMID key) {
        Remembered r = requests.get(key);
        return r == null || expired(r, nanoClock.getAsLong()) ? null : r.exchange();
    }

    @Override
    public synchronized boolean isEmpty() {
        return requests.isEmpty();
    }

    /** The requests remembered now (expired ones go at the next sweep or request). */
    @Override
    public synchronized int size() {
        return requests.size();
    }

    /** The datagram bytes of the requests remembered now. */
    synchronized long bytes() {
        return bytes;
    }

    @Override
    public synchronized void clear() {
        requests.clear();
        bytes = 0;
    }

    /** Forgets the requests whose window has ended; logs how many were forgotten early, at most once a minute. */
    void sweep() {
        long early;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            expire(now);
            if (forgottenEarly == 0 || now - lastLogNanos < LOG_INTERVAL_NANOS) {
                return;
            }
            early = forgottenEarly;
            forgottenEarly = 0;
            lastLogNanos = now;
        }
        LOG.warn("network component {}: forgot {} requests before their dedupSeconds ended, at the bound of maxPeers = {}"
                + " requests ({} bytes of datagrams): a retransmission of them is handled as a new request", componentId,
                early, maxRequests, maxBytes);
    }

    private void remember(KeyMID key, Exchange exchange, long now) {
        int size = datagramBytes(exchange.getRequest());
        requests.put(key, new Remembered(exchange, now, size));
        bytes += size;
        // The newest request stays even if it alone is larger than the byte bound: it is being handled.
        Iterator<Map.Entry<KeyMID, Remembered>> oldest = requests.entrySet().iterator();
        while ((requests.size() > maxRequests || bytes > maxBytes) && requests.size() > 1) {
            bytes -= oldest.next().getValue().bytes();
            oldest.remove();
            forgottenEarly++;
        }
    }

    private void forget(KeyMID key) {
        Remembered r = requests.remove(key);
        if (r != null) {
            bytes -= r.bytes();
        }
    }

    private void expire(long now) {
        Iterator<Remembered> oldest = requests.values().iterator();
        while (oldest.hasNext()) {
            Remembered r = oldest.next();
            if (!expired(r, now)) {
                return;
            }
            bytes -= r.bytes();
            oldest.remove();
        }
    }

    private boolean expired(Remembered r, long now) {
        return now - r.receivedNanos() >= windowNanos;
    }

    private static int datagramBytes(Request request) {
        if (request == null) {
            return 0;
        }
        byte[] datagram = request.getBytes();
        return datagram != null ? datagram.length : request.getPayloadSize();
    }
}
