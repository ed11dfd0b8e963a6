package io.thingport.rest.internal.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins counted per client (a user name or an application id) and per source address within a window: at
 * {@code maxPerClient} or {@code maxPerSource} failures, further attempts of that client or from that source are
 * refused until the oldest failure leaves the window, whatever their credentials. The tally is bounded: beyond
 * {@code maxTracked} keys the least recently failing ones are forgotten. A {@code null} client (a bearer token, which
 * names no one until it is found) counts against its source only.
 */
public final class LoginThrottle {
    private final Duration window;
    private final int maxPerClient;
    private final int maxPerSource;
    private final int maxTracked;
    private final Map<String, Deque<Instant>> failures;

    public LoginThrottle(Duration window, int maxPerClient, int maxPerSource, int maxTracked) {
        this.window = window;
        this.maxPerClient = maxPerClient;
        this.maxPerSource = maxPerSource;
        this.maxTracked = maxTracked;
        this.failures = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
                return size() > LoginThrottle.this.maxTracked;
            }
        };
    }

    /** When a blocked client or source may try again, or {@code null} when the attempt may go ahead. */
    public synchronized Instant blockedUntil(String client, String source, Instant now) {
        Instant a = client == null ? null : until("c:" + client, maxPerClient, now);
        Instant b = until("s:" + source, maxPerSource, now);
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    /** Counts a failed attempt of a client from a source. */
    public synchronized void failed(String client, String source, Instant now) {
        if (client != null) {
            add("c:" + client, maxPerClient, now);
        }
        add("s:" + source, maxPerSource, now);
    }

    private void add(String key, int max, Instant now) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        expire(times, now);
        times.addLast(now);
        while (times.size() > max) {
            times.removeFirst();
        }
    }

    private Instant until(String key, int max, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return null;
        }
        expire(times, now);
        return times.size() >= max ? times.peekFirst().plus(window) : null;
    }

    private void expire(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) {
            times.removeFirst();
        }
    }
}
