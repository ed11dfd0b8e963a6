package io.thingport.bridge.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The dedup keys of the messages a bridge stored lately, to store a re-sent push once (the clouds retry pushes they
 * did not see answered {@code 200}, within hours). Bounded: the oldest keys go first past {@code capacity}, and a key
 * is forgotten {@code ttlMillis} after it was stored. Kept in memory: after a restart of the platform a retried push
 * is stored again unless its messages carry their key as message id (the device log's uplink key catches those).
 * Thread-safe.
 */
public final class RecentKeys {
    private final int capacity;
    private final long ttlMillis;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Long> keys = new LinkedHashMap<>();

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

    /** Remembers a key whose message was stored. */
    public synchronized void stored(String key) {
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
