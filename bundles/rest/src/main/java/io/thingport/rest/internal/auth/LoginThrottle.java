package io.thingport.rest.internal.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
        Instant b = until("s:" + sourceKey(source), maxPerSource, now);
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
        add("s:" + sourceKey(source), maxPerSource, now);
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
        if (times.isEmpty()) {
            failures.remove(key); // nothing left to remember: the tally holds only keys that failed lately
            return null;
        }
        return times.size() >= max ? times.peekFirst().plus(window) : null;
    }

    /**
     * The key a source address is counted under: an IPv4 address, or the /64 network of an IPv6 one (a single host
     * commonly holds a whole /64, and could otherwise take a new address for every attempt).
     */
    static String sourceKey(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress(); // a literal from the server: no lookup
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                out.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return out.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private void expire(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) {
            times.removeFirst();
        }
    }
}
