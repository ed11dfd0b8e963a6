package io.thingport.network.http;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The requests of one connection whose response is not written yet, in arrival order: HTTP/1.1 pipelining answers
 * them in that order, whatever order the platform completes them in. At most {@code maxInflight} are in progress at
 * once. Not thread-safe: confined to the connection's event loop, like {@link HttpDeviceHandler}.
 */
final class ResponseQueue {
    private final ArrayDeque<HttpExchange> exchanges = new ArrayDeque<>();
    private final int maxInflight;

    ResponseQueue(int maxInflight) {
        this.maxInflight = maxInflight;
    }

    void add(HttpExchange exchange) {
        exchanges.add(exchange);
    }

    int size() {
        return exchanges.size();
    }

    /** Fewer than {@code maxInflight} requests are unanswered: the connection may read more. */
    boolean hasRoom() {
        return exchanges.size() < maxInflight;
    }

    /** A started request waits for the platform (a half-read request does not count). */
    boolean waiting() {
        for (HttpExchange ex : exchanges) {
            if (ex.inProgress()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts, in arrival order, the requests whose body is complete, while fewer than {@code maxInflight} are in
     * progress. {@code start} marks an exchange started and may answer it at once (then it does not count).
     */
    void startDue(Consumer<HttpExchange> start) {
        int active = 0;
        for (HttpExchange ex : exchanges) {
            if (ex.inProgress()) {
                active++;
            }
        }
        for (HttpExchange ex : exchanges) {
            if (active >= maxInflight) {
                break;
            }
            if (!ex.started && ex.bodyComplete) {
                start.accept(ex);
                if (!ex.ready) {
                    active++;
                }
            }
        }
    }

    /**
     * Removes and returns the first request when its response is due: answered, and its body read (or the connection
     * closes after it). {@code null} when there is none or the first one is not due: later answers wait for it.
     */
    HttpExchange pollDue() {
        HttpExchange head = exchanges.peekFirst();
        if (head != null && head.ready && (head.bodyComplete || head.closeAfter)) {
            return exchanges.pollFirst();
        }
        return null;
    }

    /** The first request when it waits for a {@code 100 Continue} that was not sent yet, else {@code null}. */
    HttpExchange continueDue() {
        HttpExchange head = exchanges.peekFirst();
        if (head != null && head.needsContinue && !head.continueSent && !head.ready) {
            return head;
        }
        return null;
    }

    /** Drops every request, releasing the bodies being read. */
    void clear() {
        for (HttpExchange ex : exchanges) {
            ex.releaseBody();
        }
        exchanges.clear();
    }
}
