package io.thingport.rest.internal.ws;

import io.thingport.api.access.AccessLogService;
import io.thingport.api.device.DeviceLogService;
import io.thingport.rest.internal.events.EventHub;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;

/**
 * What every WebSocket connection shares: the live events, the stored ones for resuming, the access log, the threads
 * that drain subscriptions, and the limits.
 */
public record WsServices(EventHub hub, DeviceLogService logs, AccessLogService accessLog, Clock clock, LongSupplier nanoTime,
        ExecutorService drains, Limits limits) {
    /**
     * @param maxSubscriptions subscriptions one connection may hold at once
     * @param outbox           messages queued for one connection (events wait for room, replies do not)
     * @param sendTimeout      the longest a client may leave a message unread before it is disconnected
     * @param poll             how often a subscription's thread looks whether the platform ended its stream
     * @param replayWindow     how far back a resumed subscription may reach
     * @param replayMax        the most missed events a resumed subscription is sent from storage
     */
    public record Limits(int maxSubscriptions, int outbox, Duration sendTimeout, Duration poll, Duration replayWindow,
            int replayMax) {
        /** At most 16 subscriptions, 64 queued messages, 30 s to read one. */
        public static Limits of(Duration replayWindow, int replayMax) {
            return new Limits(16, 64, Duration.ofSeconds(30), Duration.ofSeconds(1), replayWindow, replayMax);
        }
    }
}
