package io.thingport.rest.internal.auth;

import io.thingport.api.access.RequestSignature;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens for interactive use: issued to an authenticated user for a time, held in memory only by their
 * SHA-256 (a copy of this table would open nothing), bounded in total and per user (the oldest token of a user makes
 * way for a new one). A restart ends every token.
 */
public final class TokenStore {
    /** What every token starts with, so that a leaked one is easy to recognise. */
    public static final String PREFIX = "tpt_";

    private record Entry(Caller caller, Instant issued, Instant expires) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
    private final int maxTotal;
    private final int maxPerUser;

    public TokenStore(int maxTotal, int maxPerUser) {
        this.maxTotal = maxTotal;
        this.maxPerUser = maxPerUser;
    }

    /** A new token for the caller, valid for {@code ttl}. */
    public synchronized String issue(Caller caller, Duration ttl, Instant now) {
        purge(now);
        long mine = tokens.values().stream().filter(e -> e.caller().name().equals(caller.name())).count();
        if (mine >= maxPerUser) {
            tokens.entrySet().stream().filter(e -> e.getValue().caller().name().equals(caller.name()))
                    .min(Comparator.comparing(e -> e.getValue().issued())).ifPresent(e -> tokens.remove(e.getKey()));
        }
        if (tokens.size() >= maxTotal) {
            tokens.entrySet().stream().min(Comparator.comparing(e -> e.getValue().issued()))
                    .ifPresent(e -> tokens.remove(e.getKey()));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(RequestSignature.sha256(token.getBytes(StandardCharsets.US_ASCII)),
                new Entry(caller, now, now.plus(ttl)));
        return token;
    }

    /** The caller a token was issued to, while it is valid. */
    public Optional<Caller> caller(String token, Instant now) {
        Entry e = tokens.get(key(token));
        if (e == null || !e.expires().isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(e.caller());
    }

    /** Ends a token; whether it was valid. */
    public boolean revoke(String token) {
        return tokens.remove(key(token)) != null;
    }

    /** Ends every token of a user (a password change, a removed user). */
    public void revokeUser(String name) {
        tokens.values().removeIf(e -> e.caller().name().equals(name));
    }

    public int size() {
        return tokens.size();
    }

    private synchronized void purge(Instant now) {
        tokens.values().removeIf(e -> !e.expires().isAfter(now));
    }

    private static String key(String token) {
        return RequestSignature.sha256(token.getBytes(StandardCharsets.US_ASCII));
    }
}
