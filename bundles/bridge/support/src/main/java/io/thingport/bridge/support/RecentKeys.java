package io.thingport.bridge.support;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The dedup keys of the messages a bridge stored lately, to store a re-sent push once (the clouds retry pushes they
 * did not see answered {@code 200}, within hours). Bounded: the oldest keys go first past {@code capacity}, and a key
 * is forgotten {@code ttlMillis} after it was stored. Kept in memory: after a restart of the platform a retried push
 * is stored again unless its messages carry their key as message id (the device log's uplink key catches those).
 * Thread-safe.
 */
public final class RecentKeys {
    /** What {@link #claim} found. */
    public enum Claim {
        /** Nobody handles the key: the caller does now, and ends with {@link #stored} or {@link #release}. */
        NEW,
        /** It was stored lately: skip the message. */
        STORED,
        /** Another copy is being handled right now: ask the cloud to send it again later (its outcome is not known yet). */
        IN_FLIGHT
    }

    private final int capacity;
    private final long ttlMillis;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Long> keys = new LinkedHashMap<>();
    private final Set<String> inFlight = new HashSet<>();

    public RecentKeys(int capacity, long ttlMillis) {
        this(capacity, ttlMillis, System::currentTimeMillis);
    }

    RecentKeys(int capacity, long ttlMillis, LongSupplier clock) {
        this.capacity = capacity;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    /** Whether the key was stored within the time to live. */
    public synchronized boolean seen(String key) {
        expire();
        return keys.containsKey(key);
    }

    /**
     * Claims a key before its message is handled, atomically: two copies of one push arriving together are not both
     * stored. A {@link Claim#NEW} claim must end with {@link #stored} or {@link #release}.
     */
    public synchronized Claim claim(String key) {
        expire();
        if (keys.containsKey(key)) {
            return Claim.STORED;
        }
        return inFlight.add(key) ? Claim.NEW : Claim.IN_FLIGHT;
    }

    /** Ends a claim whose message was not stored (the cloud will send it again). */
    public synchronized void release(String key) {
        inFlight.remove(key);
    }

    /** Remembers a key whose message was stored (ending its claim, if any). */
    public synchronized void stored(String key) {
        inFlight.remove(key);
        expire();
        keys.remove(key);
        keys.put(key, clock.getAsLong());
        while (keys.size() > capacity) {
            keys.remove(keys.keySet().iterator().next());
        }
    }

    public synchronized int size() {
        expire();
        return keys.size();
    }

    private void expire() {
        long oldest = clock.getAsLong() - ttlMillis;
        for (var it = keys.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() > oldest) {
                break;
            }
            it.remove();
        }
    }
}
