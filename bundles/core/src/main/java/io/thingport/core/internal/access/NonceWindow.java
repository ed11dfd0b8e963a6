package io.thingport.core.internal.access;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.ApplicationService;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nonces of the signed requests accepted lately, per application, so that a request is accepted once: a nonce is
 * remembered for twice {@link ApplicationService#WINDOW} from its first use, longer than a timestamp stays acceptable
 * either way. Bounded per application and in total; at a bound a new nonce is refused ({@code UNAVAILABLE}) rather
 * than an old one forgotten, which would let its request be replayed. A nonce is kept as 64 bits of its SHA-256 (about
 * 70 bytes an entry, 70 MB at the total bound, instead of twice that for the text): a new nonce is taken for a used
 * one with a chance of about one in 10^14 at an application's bound. Time is the caller's (epoch milliseconds).
 */
final class NonceWindow {
    static final int MAX_PER_APPLICATION = 100_000;
    static final int MAX_TOTAL = 1_000_000;
    /** How often at most the whole memory is swept for expired nonces when the total bound is reached. */
    private static final long SWEEP_INTERVAL_MS = 1000;

    private final long ttlMillis;
    private final int maxPerApplication;
    private final int maxTotal;
    /** Per application, nonce to expiry, in the order they came (about the order of their expiry). */
    private final Map<String, LinkedHashMap<Long, Long>> byApplication = new HashMap<>();
    private int total;
    private long lastSweep = Long.MIN_VALUE / 2; // long before any time: the first sweep is due

    NonceWindow() {
        this(ApplicationService.WINDOW.multipliedBy(2), MAX_PER_APPLICATION, MAX_TOTAL);
    }

    NonceWindow(Duration ttl, int maxPerApplication, int maxTotal) {
        this.ttlMillis = ttl.toMillis();
        this.maxPerApplication = maxPerApplication;
        this.maxTotal = maxTotal;
    }

    /**
     * Remembers a nonce of an application at {@code now}.
     *
     * @return {@code false} when the nonce was used already within its time (a replay), {@code true} when it is new
     * @throws ThingportException {@code UNAVAILABLE} when the application, or all together, are at their bound
     */
    boolean remember(String application, String nonce, long now) {
        return remember(application, digest(nonce), now);
    }

    private synchronized boolean remember(String application, long nonce, long now) {
        LinkedHashMap<Long, Long> nonces = byApplication.get(application);
        if (nonces != null) {
            expire(nonces, now);
            if (nonces.containsKey(nonce)) {
                return false;
            }
            if (nonces.size() >= maxPerApplication) {
                throw new ThingportException(ErrorCode.UNAVAILABLE, "too many requests from " + application + " within "
                        + ApplicationService.WINDOW.toMinutes() + " minutes");
            }
        }
        if (total >= maxTotal && now - lastSweep >= SWEEP_INTERVAL_MS) {
            lastSweep = now;
            byApplication.values().forEach(n -> expire(n, now));
            byApplication.values().removeIf(Map::isEmpty);
        }
        if (total >= maxTotal) {
            throw new ThingportException(ErrorCode.UNAVAILABLE, "too many signed requests within "
                    + ApplicationService.WINDOW.toMinutes() + " minutes (all applications together)");
        }
        byApplication.computeIfAbsent(application, a -> new LinkedHashMap<>()).put(nonce, now + ttlMillis);
        total++;
        return true;
    }

    /** Forgets an application's nonces (it was deleted). */
    synchronized void forget(String application) {
        LinkedHashMap<Long, Long> nonces = byApplication.remove(application);
        if (nonces != null) {
            total -= nonces.size();
        }
    }

    /** How many nonces are remembered, all applications together. */
    synchronized int size() {
        return total;
    }

    /** Drops the expired nonces at the head (the oldest); stops at the first that still holds. */
    private void expire(LinkedHashMap<Long, Long> nonces, long now) {
        Iterator<Long> expiries = nonces.values().iterator();
        while (expiries.hasNext()) {
            if (expiries.next() > now) {
                return;
            }
            expiries.remove();
            total--;
        }
    }

    /** The first 64 bits of the nonce's SHA-256. */
    private static long digest(String nonce) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
