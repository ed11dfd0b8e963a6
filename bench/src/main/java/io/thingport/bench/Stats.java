package io.thingport.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Run-wide counters, updated from the event loops, read by the reporter. */
final class Stats {
    /** Devices whose session is currently up (CONNACK 0 received and not closed since). */
    final AtomicInteger connected = new AtomicInteger();
    /** Devices that got CONNACK 0 at least once. */
    final LongAdder everConnected = new LongAdder();
    /** CONNACK with a non-zero return code. */
    final LongAdder loginFailures = new LongAdder();
    /** TCP connect failed (refused, timeout), or closed / timed out before CONNACK. */
    final LongAdder connectErrors = new LongAdder();
    /** Abnormal events on established sessions: closed by the server, I/O errors, protocol errors. */
    final LongAdder errors = new LongAdder();

    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    /** Sent but dropped from the in-flight table because the connection closed. */
    final LongAdder droppedOnClose = new LongAdder();
    /** Reports not sent because the device already had --max-inflight unacknowledged PUBLISHes. */
    final LongAdder throttled = new LongAdder();
    /** Reports not sent because no connected device was available. */
    final LongAdder skipped = new LongAdder();
    /** PUBACKs for packet ids we were not waiting for. */
    final LongAdder unexpectedAcks = new LongAdder();
    /** PUBLISHes received from the server (not expected: we subscribe to nothing). */
    final LongAdder inboundPublishes = new LongAdder();

    /** Same as sent/acked/droppedOnClose but only for reports written inside the measured window. */
    final LongAdder measuredSent = new LongAdder();
    final LongAdder measuredAcked = new LongAdder();
    final LongAdder measuredDropped = new LongAdder();

    private final ConcurrentHashMap<String, LongAdder> reasons = new ConcurrentHashMap<>();
    private final AtomicInteger printed = new AtomicInteger();
    private static final int MAX_PRINTED = 10;

    /** Counts a failure reason for the summary and prints the first few as they happen. */
    void reason(String category, String detail) {
        String key = category + ": " + detail;
        reasons.computeIfAbsent(key, k -> new LongAdder()).increment();
        int n = printed.incrementAndGet();
        if (n <= MAX_PRINTED) {
            System.err.println("! " + key + (n == MAX_PRINTED ? "  (further failures are only counted)" : ""));
        }
    }

    Map<String, Long> reasons() {
        Map<String, Long> out = new TreeMap<>();
        reasons.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    long failedConnects() {
        return loginFailures.sum() + connectErrors.sum();
    }

    long inflight() {
        return sent.sum() - acked.sum() - droppedOnClose.sum();
    }

    long measuredOutstanding() {
        return measuredSent.sum() - measuredAcked.sum() - measuredDropped.sum();
    }
}
