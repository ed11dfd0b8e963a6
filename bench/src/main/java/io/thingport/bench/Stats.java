package io.thingport.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Run-wide counters, updated from the event loops, read by the reporter. */
final class Stats {
    /** Devices whose session is currently up (logged in and not closed since). */
    final AtomicInteger connected = new AtomicInteger();
    /** Devices that logged in at least once. */
    final LongAdder everConnected = new LongAdder();
    /** Logins refused by the platform (CONNACK rc != 0, /auth/reply success=false, CoAP 4.01/4.03). */
    final LongAdder loginFailures = new LongAdder();
    /** Connect failed (refused, timeout), or closed / no login answer within the limit. */
    final LongAdder connectErrors = new LongAdder();
    /**
     * MQTT and TCP: established sessions that ended abnormally (closed by the server, I/O errors, protocol errors),
     * one per session. CoAP: reports that got no response (timeout, send error, reset).
     */
    final LongAdder errors = new LongAdder();

    final LongAdder sent = new LongAdder();
    /** Confirmed reports: PUBACK (MQTT), 2.04 (CoAP), write completed (TCP). */
    final LongAdder acked = new LongAdder();
    /** Sent but never to be confirmed: connection closed, write failed, no CoAP response. */
    final LongAdder droppedOnClose = new LongAdder();
    /** Answered with an error instead of a confirmation (CoAP response codes other than 2.04). */
    final LongAdder refused = new LongAdder();
    /** Reports not sent because the device already had --max-inflight unacknowledged PUBLISHes. */
    final LongAdder throttled = new LongAdder();
    /** Reports not sent because no connected device was available. */
    final LongAdder skipped = new LongAdder();
    /** PUBACKs for packet ids we were not waiting for. */
    final LongAdder unexpectedAcks = new LongAdder();
    /** Messages from the server the devices do not expect: MQTT PUBLISHes, TCP frames other than the login answer. */
    final LongAdder inbound = new LongAdder();
    /**
     * {@code /{product}/{device}/error} messages received (a report was rejected): TCP frames, CoAP downlinks in 2.04
     * bodies.
     */
    final LongAdder errorFrames = new LongAdder();

    /** Same as sent/acked/droppedOnClose/refused but only for reports written inside the measured window. */
    final LongAdder measuredSent = new LongAdder();
    final LongAdder measuredAcked = new LongAdder();
    final LongAdder measuredDropped = new LongAdder();
    final LongAdder measuredRefused = new LongAdder();

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
        return sent.sum() - acked.sum() - droppedOnClose.sum() - refused.sum();
    }

    long measuredOutstanding() {
        return measuredSent.sum() - measuredAcked.sum() - measuredDropped.sum() - measuredRefused.sum();
    }
}
