package io.thingport.core.internal.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Decides which refused logins the device log shows one by one and which it counts, so that a peer looping on logins
 * cannot fill the disk, nor, by varying what it claims, the memory that does the counting.
 *
 * <p>Refusals are counted per key: (source address, device or client id, failure). The first refusal of a key is
 * written at once and opens a window of {@code interval}; the next ones within it are counted, and when it ends the
 * count is written as one entry ("12 more refused logins from 192.0.2.7 in the last 60 s: ..."), by {@link #due} or,
 * if it comes first, by the next refusal of the key, which opens the next window. A key quiet for a whole window is
 * forgotten, so that its next refusal is written at once again. At most {@link #PER_SOURCE} keys of one source and
 * {@code maxKeys} in all are kept: beyond that, a source's refusals are counted under one key for the source, and
 * when the map is full all further refusals under one overflow key.
 *
 * <p>A pure state machine: the time is always given ({@code now}, in milliseconds), nothing is written here (the
 * caller writes the returned notes), and it is not thread-safe (the caller holds a lock).
 */
final class RefusalTally {
    /** How many (device, failure) keys of one source address are counted apart. */
    static final int PER_SOURCE = 100;
    /** Characters kept of a claimed device id (the device log's column size) and of a counted refusal's detail. */
    static final int MAX_ID = 64;
    static final int MAX_DETAIL = 200;

    /**
     * One refused login.
     *
     * @param source  the peer's address, without the port
     * @param from    the peer's address as the individual entry shows it
     * @param who     the device or client id it claimed ({@code ""} when none)
     * @param failure the failure, in lower case ({@code bad_signature})
     * @param detail  why, as the authenticator said it
     * @param via     the gateway or network component that refused it
     */
    record Refusal(String source, String from, String who, String failure, String detail, String via) {
        Refusal {
            who = clip(who, MAX_ID);
            detail = detail == null ? "" : detail;
        }

        /** This refusal as a window keeps it: with its detail shortened. */
        Refusal kept() {
            return detail.length() <= MAX_DETAIL ? this : new Refusal(source, from, who, failure, clip(detail, MAX_DETAIL), via);
        }
    }

    /** A device-log entry to write: the device id it is filed under and its text. */
    record Note(String deviceId, String detail) {
    }

    private enum Scope { ITEM, SOURCE, OVERFLOW }

    private record Key(Scope scope, String source, String who, String failure) {
    }

    private static final Key OVERFLOW = new Key(Scope.OVERFLOW, "", "", "");

    /** One key's window: when it opened, the refusals counted in it (not written yet) and the latest of them. */
    private static final class Window {
        long start;
        long count;
        Refusal latest;

        Window(long start) {
            this.start = start;
        }
    }

    private final Map<Key, Window> windows = new HashMap<>();
    private final Map<String, Integer> itemsPerSource = new HashMap<>();

    /** Counts one refusal at {@code now}; returns the entries to write now (none while a window is counting). */
    List<Note> refused(Refusal r, long now, long interval, int maxKeys) {
        Key key = keyFor(r, maxKeys);
        Window w = windows.get(key);
        List<Note> notes = new ArrayList<>(2);
        if (w == null) {
            open(key, now);
            notes.add(individual(r));
        } else if (now - w.start >= interval) {
            if (w.count > 0) {
                notes.add(summary(key, w, now, maxKeys)); // the interval ended without a tick: its count first
                w.count = 1;
                w.latest = r.kept();
            } else {
                notes.add(individual(r)); // quiet for a whole interval: shown at once again
            }
            w.start = now;
        } else {
            w.count++;
            w.latest = r.kept();
        }
        return notes;
    }

    /** The summaries of the windows that ended by {@code now}; forgets the keys that were quiet for a whole window. */
    List<Note> due(long now, long interval, int maxKeys) {
        List<Note> notes = new ArrayList<>();
        for (Iterator<Map.Entry<Key, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Window> e = it.next();
            Window w = e.getValue();
            if (now - w.start < interval) {
                continue;
            }
            if (w.count > 0) {
                notes.add(summary(e.getKey(), w, now, maxKeys));
                w.count = 0;
                w.start = now;
            } else {
                it.remove();
                forget(e.getKey());
            }
        }
        return notes;
    }

    /** The summaries of every window still counting, whether it ended or not (the platform is stopping). */
    List<Note> drain(long now, int maxKeys) {
        List<Note> notes = new ArrayList<>();
        windows.forEach((key, w) -> {
            if (w.count > 0) {
                notes.add(summary(key, w, now, maxKeys));
            }
        });
        windows.clear();
        itemsPerSource.clear();
        return notes;
    }

    /** The keys counted now, the overflow key included. */
    int size() {
        return windows.size();
    }

    private Key keyFor(Refusal r, int maxKeys) {
        Key item = new Key(Scope.ITEM, r.source(), r.who(), r.failure());
        if (windows.containsKey(item)) {
            return item;
        }
        boolean room = tracked() < maxKeys;
        if (room && itemsPerSource.getOrDefault(r.source(), 0) < PER_SOURCE) {
            return item;
        }
        Key source = new Key(Scope.SOURCE, r.source(), "", "");
        return windows.containsKey(source) || room ? source : OVERFLOW;
    }

    /** The keys that count towards {@code maxKeys}: all but the overflow key. */
    private int tracked() {
        return windows.size() - (windows.containsKey(OVERFLOW) ? 1 : 0);
    }

    private void open(Key key, long now) {
        windows.put(key, new Window(now));
        if (key.scope() == Scope.ITEM) {
            itemsPerSource.merge(key.source(), 1, Integer::sum);
        }
    }

    private void forget(Key key) {
        if (key.scope() == Scope.ITEM) {
            itemsPerSource.computeIfPresent(key.source(), (s, n) -> n > 1 ? n - 1 : null);
        }
    }

    private static Note individual(Refusal r) {
        return new Note(r.who(), r.failure() + ": " + r.detail() + " (from " + r.from() + " via " + r.via() + ")");
    }

    private static Note summary(Key key, Window w, long now, int maxKeys) {
        Refusal r = w.latest;
        long seconds = Math.max(1, (now - w.start + 999) / 1000);
        String count = w.count + " more refused login" + (w.count == 1 ? "" : "s");
        return switch (key.scope()) {
            case ITEM -> new Note(r.who(), count + " from " + r.source() + " in the last " + seconds + " s: " + r.failure() + ": "
                    + r.detail() + " (via " + r.via() + ")");
            case SOURCE -> new Note("", count + " from " + r.source() + " in the last " + seconds + " s for other devices or reasons"
                    + " (this address has " + PER_SOURCE + " counted apart; latest: " + who(r) + r.failure() + ": " + r.detail() + ", via "
                    + r.via() + ")");
            case OVERFLOW -> new Note("", count + " in the last " + seconds + " s, not itemized: " + maxKeys
                    + " sources, devices and reasons are counted already (latest: from " + r.source() + ", " + who(r) + r.failure()
                    + ": " + r.detail() + ", via " + r.via() + ")");
        };
    }

    private static String who(Refusal r) {
        return r.who().isEmpty() ? "" : r.who() + ": ";
    }

    private static String clip(String s, int max) {
        String v = s == null ? "" : s;
        return v.length() <= max ? v : v.substring(0, max - 3) + "...";
    }
}
