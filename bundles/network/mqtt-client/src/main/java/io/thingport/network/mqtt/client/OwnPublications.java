package io.thingport.network.mqtt.client;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The messages this component published to the broker lately, so that one coming back through its own subscription
 * is recognised and dropped: whatever the topic filters, the platform never consumes what it sent itself (a downlink
 * or an {@code /error} read back as an uplink would be refused, answered with another {@code /error}, read back
 * again, and so on).
 *
 * <p>A publication is matched by its topic and the SHA-256 of its payload, once per time it was published. It is
 * forgotten when it came back, after {@code ttlMillis}, or, beyond {@code capacity} publications, oldest first: the
 * table never grows past that, whatever the broker does. Thread-safe.
 */
final class OwnPublications {
    private record Key(String topic, ByteBuffer digest) {
    }

    private static final class Seen {
        int count;
        long lastMillis;
    }

    private final int capacity;
    private final long ttlMillis;
    private final LongSupplier clock;
    /** In the order of their last publication, for expiry and eviction. */
    private final LinkedHashMap<Key, Seen> seen = new LinkedHashMap<>(16, 0.75f, false);
    private int size;

    OwnPublications(int capacity, long ttlMillis, LongSupplier clock) {
        this.capacity = capacity;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    /** Remembers a message this component is publishing. */
    synchronized void published(String topic, byte[] payload) {
        long now = clock.getAsLong();
        expire(now);
        Key key = key(topic, payload);
        Seen s = seen.remove(key); // re-inserted: its last publication is the newest
        if (s == null) {
            s = new Seen();
        }
        s.count++;
        s.lastMillis = now;
        seen.put(key, s);
        size++;
        while (size > capacity) {
            Iterator<Map.Entry<Key, Seen>> oldest = seen.entrySet().iterator();
            Seen first = oldest.next().getValue();
            first.count--;
            size--;
            if (first.count == 0) {
                oldest.remove();
            }
        }
    }

    /** Whether an arriving message is one this component published (and forgets that one publication). */
    synchronized boolean isEcho(String topic, byte[] payload) {
        expire(clock.getAsLong());
        if (seen.isEmpty()) {
            return false;
        }
        Key key = key(topic, payload);
        Seen s = seen.get(key);
        if (s == null) {
            return false;
        }
        s.count--;
        size--;
        if (s.count == 0) {
            seen.remove(key);
        }
        return true;
    }

    synchronized int size() {
        return size;
    }

    private void expire(long now) {
        Iterator<Map.Entry<Key, Seen>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            Seen s = it.next().getValue();
            if (now - s.lastMillis < ttlMillis) {
                return;
            }
            size -= s.count;
            it.remove();
        }
    }

    private static Key key(String topic, byte[] payload) {
        try {
            return new Key(topic, ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(payload)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
