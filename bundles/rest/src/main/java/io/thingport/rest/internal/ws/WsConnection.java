package io.thingport.rest.internal.ws;

import io.thingport.api.ErrorCode;
import io.thingport.api.access.AccessRecord;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.events.EventFilter;
import io.thingport.rest.internal.events.EventReplay;
import io.thingport.rest.internal.events.EventStream;
import io.thingport.rest.internal.http.FieldException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client's session of the event protocol ({@link WsEndpoint} describes it), apart from any container:
 * reads its messages, keeps its subscriptions (each an {@link EventStream} of the hub, drained by a thread of
 * {@link WsServices#drains()} into the connection's {@link Outbox}), and records the connection in the access log
 * when it ends. The container glue calls {@link #onText}, {@link #onBinary}, {@link #tick} (periodically),
 * {@link #closed} and {@link #shutdown}.
 */
public final class WsConnection {
    private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);

    /** Close codes (RFC 6455). */
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int NO_STATUS = 1005;
    public static final int POLICY_VIOLATION = 1008;
    public static final int TRY_AGAIN_LATER = 1013;

    /** The access log's action of every connection. */
    public static final String ACTION = "WS " + WsEndpoint.PATH;

    /** The connection's side of the network, as the container offers it. */
    public interface Peer extends Outbox.Sender {
        /** Sends a ping without waiting. */
        void ping();

        /** Closes the connection with a code and a reason (at most 123 bytes). */
        void close(int code, String reason);
    }

    private final WsPrincipal who;
    private final Peer peer;
    private final WsServices services;
    private final WsServices.Limits limits;
    private final Outbox outbox;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final AtomicBoolean recorded = new AtomicBoolean();
    private boolean ended;

    public WsConnection(WsPrincipal who, Peer peer, WsServices services) {
        this.who = who;
        this.peer = peer;
        this.services = services;
        this.limits = services.limits();
        this.outbox = new Outbox(limits.outbox(), peer, this::sendFailed, services.nanoTime());
    }

    public Caller caller() {
        return who.caller();
    }

    /** A text message from the client. */
    public void onText(String text) {
        ClientMessage message = null;
        try {
            message = ClientMessage.parse(text);
            if (message instanceof ClientMessage.Subscribe s) {
                subscribe(s);
            } else {
                unsubscribe((ClientMessage.Unsubscribe) message);
            }
        } catch (RuntimeException e) {
            reply(ServerMessage.error(WsError.of(message == null ? null : message.id(), e)));
        }
    }

    /** A binary message from the client: refused, the protocol is JSON text. */
    public void onBinary() {
        reply(ServerMessage.error(new WsError(null, ErrorCode.UNSUPPORTED, "send JSON text messages, not binary ones")));
    }

    /** Called periodically: disconnects a client that leaves a message unread too long, else pings it. */
    public void tick() {
        if (outbox.inFlightNanos() > limits.sendTimeout().toNanos()) {
            abort(TRY_AGAIN_LATER, "the client did not read for " + limits.sendTimeout().toSeconds() + " s");
        } else if (!isEnded()) {
            peer.ping();
        }
    }

    /** The connection has closed (either side): ends everything and records it. */
    public void closed(int code) {
        end();
        record(code);
    }

    /** The platform closes the connection (the API is stopping). */
    public void shutdown(int code, String reason) {
        end();
        peer.close(code, reason);
        record(code);
    }

    /** The number of subscriptions open now. */
    public synchronized int subscriptions() {
        return subscriptions.size();
    }

    private void subscribe(ClientMessage.Subscribe s) {
        EventFilter filter;
        try {
            filter = EventFilter.of(s.product(), s.device(), s.types(), who.caller());
        } catch (FieldException e) {
            throw new WsError(s.id(), e.code().wireName(), e.getMessage(), "types");
        }
        Subscription sub;
        synchronized (this) {
            if (ended) {
                return;
            }
            if (subscriptions.containsKey(s.id())) {
                throw new WsError(s.id(), ErrorCode.CONFLICT, "subscription " + s.id() + " exists: unsub it first or "
                        + "choose another id");
            }
            if (subscriptions.size() >= limits.maxSubscriptions()) {
                throw new WsError(s.id(), ErrorCode.RATE_LIMITED, "a connection holds at most "
                        + limits.maxSubscriptions() + " subscriptions");
            }
            // opened before the replay is read, so that what commits meanwhile is queued and nothing falls in between
            sub = new Subscription(s.id(), s.lastEventId(), services.hub().open(filter));
            subscriptions.put(s.id(), sub);
        }
        if (!reply(ServerMessage.subscribed(s.id()))) {
            return;
        }
        try {
            sub.task = services.drains().submit(sub::drain);
        } catch (RejectedExecutionException e) {
            remove(sub);
            throw new WsError(s.id(), ErrorCode.UNAVAILABLE, "the platform is stopping its event streams");
        }
    }

    private void unsubscribe(ClientMessage.Unsubscribe u) {
        Subscription sub;
        synchronized (this) {
            sub = subscriptions.remove(u.id());
        }
        if (sub == null) {
            throw new WsError(u.id(), ErrorCode.NOT_FOUND, "there is no subscription " + u.id());
        }
        sub.cancel();
        reply(ServerMessage.unsubscribed(u.id()));
    }

    private boolean reply(String text) {
        if (outbox.offer(text)) {
            return true;
        }
        if (!isEnded()) {
            abort(TRY_AGAIN_LATER, "the client does not read its messages");
        }
        return false;
    }

    private void remove(Subscription sub) {
        synchronized (this) {
            subscriptions.remove(sub.id, sub);
        }
        sub.cancel();
    }

    /** A stream ended by the platform: the client is told, then disconnected; it resumes with lastEventId. */
    private void dropped(Subscription sub, String why) {
        end();
        outbox.offer(ServerMessage.dropped(sub.id, why));
        outbox.closeWhenDrained(() -> peer.close(TRY_AGAIN_LATER, "dropped: reconnect and resume with lastEventId"));
    }

    private void abort(int code, String reason) {
        end();
        outbox.close();
        peer.close(code, reason);
    }

    private void sendFailed(Throwable failure) {
        LOG.debug("Sending to WebSocket client {} failed", who.caller().name(), failure);
        end();
    }

    private synchronized boolean isEnded() {
        return ended;
    }

    /** Ends every subscription; nothing new is accepted. */
    private void end() {
        List<Subscription> all;
        synchronized (this) {
            ended = true;
            all = new ArrayList<>(subscriptions.values());
            subscriptions.clear();
        }
        for (Subscription s : all) {
            s.cancel();
        }
    }

    private void record(int code) {
        if (!recorded.compareAndSet(false, true)) {
            return;
        }
        end();
        outbox.close();
        Caller c = who.caller();
        long ms = TimeUnit.NANOSECONDS.toMillis(services.nanoTime().getAsLong() - who.startedNanos());
        String result = code == NORMAL || code == GOING_AWAY || code == NO_STATUS ? "ok" : "ws_" + code;
        services.accessLog().record(new AccessRecord(0, who.startedAt(), AccessRecord.CHANNEL_API, c.name(), c.kind(),
                ACTION, who.source(), 101, result, ms));
    }

    /** One subscription: its stream, drained by a thread of its own into the outbox. */
    private final class Subscription implements Outbox.Owner {
        private final String id;
        private final Long lastId;
        private final EventStream stream;
        private volatile boolean cancelled;
        private volatile Future<?> task;

        Subscription(String id, Long lastId, EventStream stream) {
            this.id = id;
            this.lastId = lastId;
            this.stream = stream;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        void cancel() {
            cancelled = true;
            outbox.cancel(this);
            Future<?> t = task;
            if (t != null) {
                t.cancel(true);
            }
            stream.close();
        }

        void drain() {
            try {
                long sent = lastId == null ? 0 : lastId;
                if (lastId != null) {
                    EventReplay.Missed missed;
                    try {
                        missed = EventReplay.after(services.logs(), stream.filter(), lastId,
                                services.clock().instant().minus(limits.replayWindow()), limits.replayMax());
                    } catch (RuntimeException e) {
                        LOG.warn("Reading the events that subscription {} of {} missed failed", id, who.caller().name(), e);
                        remove(this);
                        reply(ServerMessage.error(new WsError(id, ErrorCode.INTERNAL, "the missed events could not be "
                                + "read: see the platform's log; subscribe again")));
                        return;
                    }
                    for (DeviceLogEntry e : missed.entries()) {
                        if (!deliver(ServerMessage.event(id, e))) {
                            return;
                        }
                        sent = e.id();
                    }
                    if (missed.cut() && !deliver(ServerMessage.gap(id, "more than " + limits.replayMax() + " events "
                            + "were missed; the subscription goes on from the newest"))) {
                        return;
                    }
                }
                while (!cancelled) {
                    DeviceLogEntry e = stream.poll(limits.poll());
                    String why = stream.endedBecause();
                    if (why != null) {
                        if (!cancelled) {
                            dropped(this, why);
                        }
                        return;
                    }
                    if (e != null && (lastId == null || e.id() > sent)) {
                        if (!deliver(ServerMessage.event(id, e))) {
                            return;
                        }
                        sent = Math.max(sent, e.id());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("Subscription {} of WebSocket client {} failed", id, who.caller().name(), e);
                remove(this);
                reply(ServerMessage.error(new WsError(id, ErrorCode.INTERNAL, "internal error: see the platform's "
                        + "log; subscribe again")));
            } finally {
                stream.close();
            }
        }

        /**
         * Queues a message of this subscription, waiting for room at most the send timeout, and looking meanwhile
         * whether the platform ended the stream (a client that does not read falls behind: it is dropped at once).
         */
        private boolean deliver(String text) throws InterruptedException {
            long deadline = System.nanoTime() + limits.sendTimeout().toNanos();
            while (true) {
                switch (outbox.put(this, text, limits.poll())) {
                    case QUEUED:
                        return true;
                    case TIMEOUT:
                        String why = stream.endedBecause();
                        if (why != null) {
                            if (!cancelled) {
                                dropped(this, why);
                            }
                            return false;
                        }
                        if (System.nanoTime() - deadline >= 0) {
                            abort(TRY_AGAIN_LATER, "the client did not read for " + limits.sendTimeout().toSeconds()
                                    + " s");
                            return false;
                        }
                        break;
                    default:
                        return false;
                }
            }
        }
    }
}
