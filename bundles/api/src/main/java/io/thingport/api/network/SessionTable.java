package io.thingport.api.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The decisions about the token sessions of one component, without side effects: which token names which session,
 * when a session has ended (idle, or past its lifetime), and which session a login replaces. The time is an argument
 * of every call, so tests move it; {@link RequestSessions} does the side effects (logins, the listener, the sweeper).
 *
 * <ul>
 *   <li>One session per device: opening a session for a device replaces the one it had.</li>
 *   <li>Tokens are {@value #TOKEN_BYTES} random bytes ({@link SecureRandom}) in URL-safe Base64 without padding. The
 *       table keeps only their SHA-256, and looks a presented token up by that hash: neither the stored value nor
 *       the time of a look-up depends on how much of a guess is right.</li>
 *   <li>A session ends {@code idleMillis} after its last use, and {@code lifetimeMillis} after it was opened
 *       whatever its use. An ended session's token is refused at once; {@link #expire} removes it.</li>
 *   <li>At most {@code maxSessions} sessions: only accepted logins open one, so the table grows with the devices
 *       that hold valid credentials, and this bound holds also against devices a product secret can register.</li>
 * </ul>
 *
 * <p>Not thread-safe: its owner synchronizes.
 *
 * @param <S> the session object (for {@link RequestSessions}, the virtual connection)
 */
final class SessionTable<S> {
    /** Random bytes of a token: 256 bits. */
    static final int TOKEN_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final long idleMillis;
    private final long lifetimeMillis;
    private final int maxSessions;
    private final Supplier<String> tokens;
    private final Map<String, Entry<S>> byDevice = new HashMap<>();
    private final Map<String, Entry<S>> byTokenHash = new HashMap<>();

    /** A session opened by {@link #open}: its token (to give to the device) and the session it replaced, or null. */
    record Opened<S>(String token, S replaced) {
    }

    /** A session {@link #expire} removed, and why it ended (for the device log). */
    record Ended<S>(S session, String reason) {
    }

    private static final class Entry<S> {
        final String tokenHash;
        final S session;
        final long opened;
        long lastUsed;

        Entry(String tokenHash, S session, long opened) {
            this.tokenHash = tokenHash;
            this.session = session;
            this.opened = opened;
            this.lastUsed = opened;
        }
    }

    SessionTable(long idleMillis, long lifetimeMillis, int maxSessions) {
        this(idleMillis, lifetimeMillis, maxSessions, SessionTable::newToken);
    }

    /** @param tokens makes the token of each new session (tests make predictable ones) */
    SessionTable(long idleMillis, long lifetimeMillis, int maxSessions, Supplier<String> tokens) {
        if (idleMillis <= 0 || lifetimeMillis <= 0 || maxSessions <= 0) {
            throw new IllegalArgumentException("idleMillis, lifetimeMillis and maxSessions must be positive");
        }
        this.idleMillis = idleMillis;
        this.lifetimeMillis = lifetimeMillis;
        this.maxSessions = maxSessions;
        this.tokens = tokens;
    }

    /** The shorter of the idle time and the lifetime: how soon a session can end. */
    long shortestLifeMillis() {
        return Math.min(idleMillis, lifetimeMillis);
    }

    /**
     * A new token: {@value #TOKEN_BYTES} bytes from {@link SecureRandom}, URL-safe Base64 without padding (43 chars),
     * drawn again when it is not {@link #typeable}.
     */
    static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        String token;
        do {
            RANDOM.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (!typeable(token));
        return token;
    }

    /**
     * Whether a token can be given to command-line clients as it is: libcoap's {@code coap-client -O 2112,<token>}
     * reads a value that starts with {@code 0x} as hex (and refuses it), which one token in 4,096 would.
     */
    static boolean typeable(String token) {
        return !token.startsWith("0x");
    }

    /** The key a token is kept and looked up under: hex of its SHA-256 (UTF-8). */
    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /**
     * Why a session opened at {@code opened} and last used at {@code lastUsed} has ended at {@code now}, or
     * {@code null} while it lasts. The lifetime is checked first: it ends a session however busy.
     */
    static String ended(long opened, long lastUsed, long now, long idleMillis, long lifetimeMillis) {
        if (now - opened >= lifetimeMillis) {
            return "session lifetime of " + seconds(lifetimeMillis) + " s over";
        }
        if (now - lastUsed >= idleMillis) {
            return "no request for " + seconds(idleMillis) + " s";
        }
        return null;
    }

    private static String seconds(long millis) {
        return Double.toString(millis / 1000.0);
    }

    /**
     * Opens the session of {@code device} with a new token; the device's previous session, if any, is removed and
     * returned for its owner to close. {@code null} when the table holds {@code maxSessions} sessions of other
     * devices (nothing changes then).
     */
    Opened<S> open(String device, S session, long now) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(session, "session");
        Entry<S> previous = byDevice.get(device);
        if (previous == null && byDevice.size() >= maxSessions) {
            return null;
        }
        String token = tokens.get();
        Entry<S> entry = new Entry<>(hash(token), session, now);
        if (byTokenHash.containsKey(entry.tokenHash)) {
            throw new IllegalStateException("a new session token is already in use");
        }
        if (previous != null) {
            byTokenHash.remove(previous.tokenHash);
        }
        byDevice.put(device, entry);
        byTokenHash.put(entry.tokenHash, entry);
        return new Opened<>(token, previous == null ? null : previous.session);
    }

    /**
     * The session a presented token names, when it has not ended at {@code now}; the look-up counts as a use (it
     * restarts the idle time). {@code null} for an unknown token or an ended session.
     */
    S find(String token, long now) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        Entry<S> entry = byTokenHash.get(hash(token));
        if (entry == null || ended(entry.opened, entry.lastUsed, now, idleMillis, lifetimeMillis) != null) {
            return null;
        }
        entry.lastUsed = now;
        return entry.session;
    }

    /** Removes and returns the sessions that have ended at {@code now}, each with the reason. */
    List<Ended<S>> expire(long now) {
        List<Ended<S>> out = new ArrayList<>();
        for (Iterator<Entry<S>> it = byDevice.values().iterator(); it.hasNext(); ) {
            Entry<S> e = it.next();
            String reason = ended(e.opened, e.lastUsed, now, idleMillis, lifetimeMillis);
            if (reason != null) {
                it.remove();
                byTokenHash.remove(e.tokenHash);
                out.add(new Ended<>(e.session, reason));
            }
        }
        return out;
    }

    /** Removes the session of {@code device} if it is {@code session} (not one that replaced it); whether it was. */
    boolean remove(String device, S session) {
        Entry<S> entry = byDevice.get(device);
        if (entry == null || entry.session != session) {
            return false;
        }
        byDevice.remove(device);
        byTokenHash.remove(entry.tokenHash);
        return true;
    }

    /** Removes and returns every session. */
    List<S> clear() {
        List<S> all = byDevice.values().stream().map(e -> e.session).toList();
        byDevice.clear();
        byTokenHash.clear();
        return all;
    }

    int size() {
        return byDevice.size();
    }
}
