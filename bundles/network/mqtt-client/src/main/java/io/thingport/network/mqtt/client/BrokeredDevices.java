package io.thingport.network.mqtt.client;

import static io.thingport.network.mqtt.client.Failures.describe;
import static io.thingport.network.mqtt.client.Failures.unwrap;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices behind the broker: each message's topic names its device ({@code deviceTopic}); the first message of a
 * device has the platform check it ({@link AuthRequest#brokered}); an accepted device becomes a
 * {@link BrokeredConnection} whose messages go to the platform in the broker's order, a refused one is skipped and
 * checked again after 30 s ({@link #REFUSED_RECHECK_NANOS}) at the earliest. Each message is then acknowledged or not
 * through the {@link BrokerLink}.
 *
 * <p>Threading: loop-confined (every method runs on the {@link EventLoop} and makes the {@link TransportListener}
 * calls there), except the counters {@link #pendingMessages()}, {@link #inflight()} and {@link #count()}.
 *
 * <p>Back-pressure: at most {@value #MAX_INFLIGHT_PER_DEVICE} messages per device are with the platform at a time; the
 * rest wait in order. QoS 0 messages are dropped (and logged) while more than {@value #MAX_PENDING} messages wait for
 * the platform. A message the platform did not take because it is at its bound ({@code UNAVAILABLE}) is neither
 * acknowledged nor a reason to reconnect: its device pauses ({@value #FIRST_PAUSE_MILLIS} ms, doubling with each
 * refusal in a row up to {@value #MAX_PAUSE_MILLIS} ms), then the refused messages go again, in the broker's order,
 * before the device's later ones; QoS 0 alike.
 */
final class BrokeredDevices implements BrokerLink.Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(MqttClientComponent.class);

    /** A refused device is checked again after this long at the earliest. */
    static final long REFUSED_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A refusal is logged again (at WARN) after this long. */
    private static final long REFUSED_FORGET_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final int MAX_INFLIGHT_PER_DEVICE = 32;
    static final int MAX_PENDING = 10_000;
    /** The pause of a device after the platform first answered {@code UNAVAILABLE}, in milliseconds. */
    static final long FIRST_PAUSE_MILLIS = 50;
    /** The longest pause, in milliseconds: refusals in a row double the pause up to this. */
    static final long MAX_PAUSE_MILLIS = 1000;

    /** The device a topic names. */
    record DeviceId(String productId, String deviceId) {
        /** The device named by {@code topic} (the groups of {@code deviceTopic}), or {@code null} if it names none. */
        static DeviceId of(Pattern deviceTopic, String topic) {
            Matcher m = deviceTopic.matcher(topic);
            if (!m.matches()) {
                return null;
            }
            String productId = m.group("productId");
            String deviceId = m.group("deviceId");
            if (productId == null || deviceId == null || productId.isEmpty() || deviceId.isEmpty()) {
                return null;
            }
            return new DeviceId(productId, deviceId);
        }

        String key() {
            return productId + '\n' + deviceId;
        }
    }

    private final String componentId;
    private final MqttClientSettings settings;
    private final TransportListener listener;
    private final BrokerLink link;
    private final EventLoop loop;
    private final LogThrottle throttle = new LogThrottle(TimeUnit.SECONDS.toNanos(30));

    // Owned by the loop thread.
    private final Map<String, Device> devices = new HashMap<>();
    private final Map<String, Refusal> refused = new HashMap<>();
    private long connectionSeq;

    // Written by the loop, read anywhere.
    private volatile int pending;
    private volatile int inflight;
    private volatile int deviceCount;

    BrokeredDevices(String componentId, MqttClientSettings settings, TransportListener listener, BrokerLink link, EventLoop loop) {
        this.componentId = componentId;
        this.settings = settings;
        this.listener = listener;
        this.link = link;
        this.loop = loop;
    }

    // ------------------------------------------------------------------ uplinks (loop thread)

    @Override
    public void onMessage(Inbound in) {
        if (link.closing() || !link.isCurrent(in)) {
            return; // From a connection that is gone: not acknowledged, the broker sends it again.
        }
        if (in.payload().length > settings.maxMessageLength()) {
            warn("large", "Network component {}: skipped a message of {} bytes on {}: larger than maxMessageLength {}",
                    componentId, in.payload().length, in.topic(), settings.maxMessageLength());
            link.ack(in);
            return;
        }
        DeviceId named = DeviceId.of(settings.deviceTopic(), in.topic());
        if (named == null) {
            warn("topic", "Network component {}: skipped a message on {}: the topic does not match deviceTopic {}",
                    componentId, in.topic(), settings.deviceTopic().pattern());
            link.ack(in);
            return;
        }
        String key = named.key();
        long now = System.nanoTime();
        Device d = devices.get(key);
        if (d == null) {
            Refusal r = refused.get(key);
            if (r != null && now - r.at < REFUSED_RECHECK_NANOS) {
                r.skipped++;
                link.ack(in);
                return;
            }
            d = new Device(key, named.productId(), named.deviceId());
            devices.put(key, d);
            deviceCount = devices.size();
            authenticate(d);
        }
        if (in.qos() == 0 && pending >= MAX_PENDING) {
            warn("overload", "Network component {}: dropped a QoS 0 message of {}: {} messages are waiting for the platform",
                    componentId, d, pending);
            return;
        }
        d.lastActivity = now;
        d.backlog.add(in);
        pending++;
        drain(d);
    }

    private void authenticate(Device d) {
        CompletionStage<AuthResult> stage;
        try {
            stage = listener.authenticate(AuthRequest.brokered(Transport.MQTT, d.deviceId, d.productId, link.broker()));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((result, error) -> loop.run(() -> authenticated(d, result, error)));
    }

    private void authenticated(Device d, AuthResult result, Throwable error) {
        if (!d.active) {
            return; // Dropped meanwhile (broker connection lost, component closing).
        }
        if (error != null || result == null || result.failure() == AuthFailure.SERVER_BUSY) {
            // The platform did not check the login (an error, or busy at logins.maxQueued): nothing is acknowledged,
            // the broker delivers the messages again.
            forget(d);
            String problem = error != null ? describe(unwrap(error)) : result == null ? "no result" : result.detail();
            LOG.warn("Network component {}: could not check {}: {}", componentId, d, problem);
            notStored(d.backlog, "the platform could not check " + d + ": " + problem);
            pending -= d.backlog.size();
            d.backlog.clear();
            return;
        }
        if (!result.accepted()) {
            forget(d);
            refuse(d, result);
            for (Inbound in : d.backlog) {
                link.ack(in);
            }
            pending -= d.backlog.size();
            d.backlog.clear();
            return;
        }
        refused.remove(d.key);
        String id = d.productId + "/" + d.deviceId + "#" + (++connectionSeq);
        d.connection = new BrokeredConnection(id, d.toString(), componentId, link,
                reason -> loop.run(() -> closeDevice(d, reason)));
        try {
            listener.connected(d.connection, result);
        } catch (RuntimeException e) {
            LOG.warn("Network component {}: the platform failed on the connection of {}: {}", componentId, d, e.toString());
        }
        drain(d);
    }

    private void refuse(Device d, AuthResult result) {
        Refusal before = refused.get(d.key);
        refused.put(d.key, new Refusal(System.nanoTime()));
        String failure = (result.failure() == null ? "refused" : result.failure().toString())
                + (result.detail() == null || result.detail().isEmpty() ? "" : ": " + result.detail());
        if (before == null) {
            LOG.warn("Network component {}: {} was refused ({}); its messages are skipped and acknowledged, and it is "
                    + "checked again after 30 s at the earliest", componentId, d, failure);
        } else {
            LOG.debug("Network component {}: {} was refused again ({}); {} messages skipped since the last check",
                    componentId, d, failure, before.skipped);
        }
    }

    private void forget(Device d) {
        d.active = false;
        if (devices.get(d.key) == d) {
            devices.remove(d.key);
        }
        deviceCount = devices.size();
    }

    /** Hands the device's messages to the platform up to its bound: first those refused for now, then the backlog. */
    private void drain(Device d) {
        while (d.active && d.connection != null && d.connection.isOpen() && d.pause == null
                && d.inflight < MAX_INFLIGHT_PER_DEVICE) {
            Inbound next = d.nextRefused();
            if (next == null) {
                next = d.backlog.poll();
                if (next == null) {
                    return;
                }
                d.offered.add(next);
            }
            deliver(d, next);
        }
    }

    private void deliver(Device d, Inbound in) {
        d.inflight++;
        inflight++;
        Map<String, String> headers = in.retained() ? Map.of("qos", Integer.toString(in.qos()), "retain", "true")
                : Map.of("qos", Integer.toString(in.qos()));
        CompletionStage<Void> stage;
        try {
            stage = listener.received(d.connection, new EncodedMessage(in.topic(), in.payload(), headers));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((ignored, error) -> {
            // Refused at once (the platform at its bound): pause now, before the device's next message is delivered.
            if (loop.inLoop() && unavailable(error)) {
                delivered(d, in, error);
            } else {
                loop.run(() -> delivered(d, in, error));
            }
        });
    }

    private static boolean unavailable(Throwable error) {
        return unwrap(error) instanceof ThingportException te && te.code() == ErrorCode.UNAVAILABLE;
    }

    private void delivered(Device d, Inbound in, Throwable error) {
        d.inflight--;
        inflight--;
        if (unavailable(error)) {
            if (d.active) {
                notTaken(d, in, unwrap(error));
            } else {
                // Its device was closed meanwhile: the message goes to the device's next login, like its backlog did
                // (or, its broker connection gone, is left to the broker to send again).
                pending--;
                d.forgetOffered(in);
                onMessage(in);
            }
            return;
        }
        pending--;
        d.forgetOffered(in);
        if (error == null) {
            d.nextPause = FIRST_PAUSE_MILLIS;
            link.ack(in);
        } else {
            Throwable cause = unwrap(error);
            if (cause instanceof ThingportException te && te.code() == ErrorCode.FORBIDDEN) {
                warn("forbidden", "Network component {}: a message of {} on {} broke the access rules and is dropped: {}",
                        componentId, d, in.topic(), te.getMessage());
                link.ack(in);
            } else {
                LOG.warn("Network component {}: the platform could not store a message of {} on {}: {}", componentId, d,
                        in.topic(), describe(cause));
                notStored(List.of(in), "the platform could not store a message of " + d + ": " + describe(cause));
            }
        }
        drain(d);
    }

    /**
     * The platform is at its bound: the message is not acknowledged; it waits with the device's other refused ones, and
     * the device pauses unless it is paused already.
     */
    private void notTaken(Device d, Inbound in, Throwable cause) {
        d.refused.add(in);
        if (d.pause != null) {
            return;
        }
        long pause = d.nextPause;
        d.nextPause = Math.min(2 * pause, MAX_PAUSE_MILLIS);
        LOG.debug("Network component {}: the platform did not take a message of {} ({}); offering {} again in {} ms", componentId,
                d, describe(cause), d.refused.size(), pause);
        d.pause = loop.schedule(() -> {
            d.pause = null;
            drain(d);
        }, pause, TimeUnit.MILLISECONDS);
    }

    /**
     * Messages the platform could not take: QoS 1 ones of the current connection are left unacknowledged and the
     * connection is restarted so that the broker sends them again; QoS 0 ones are lost (at most once).
     */
    private void notStored(Iterable<Inbound> messages, String reason) {
        for (Inbound in : messages) {
            if (in.qos() > 0 && link.isCurrent(in)) {
                link.restart(reason + "; reconnecting so that the broker resends the unacknowledged messages");
                return;
            }
        }
    }

    // ------------------------------------------------------------------ closing devices (loop thread)

    /** Idle devices are reported disconnected; old refusals are forgotten. */
    void sweep() {
        long now = System.nanoTime();
        if (settings.idleTimeout() > 0) {
            long idle = TimeUnit.SECONDS.toNanos(settings.idleTimeout());
            for (Device d : new ArrayList<>(devices.values())) {
                if (d.connection != null && d.connection.isOpen() && d.offered.isEmpty() && d.backlog.isEmpty()
                        && now - d.lastActivity >= idle) {
                    closeDevice(d, "no message for " + settings.idleTimeout() + " s");
                }
            }
        }
        refused.values().removeIf(r -> now - r.at > REFUSED_FORGET_NANOS);
        throttle.prune(now);
    }

    /** The platform (or the idle sweep) closes one device; its messages not yet delivered start a new login. */
    private void closeDevice(Device d, String reason) {
        if (!d.active || d.connection == null || !d.connection.isOpen()) {
            return;
        }
        forget(d);
        disconnect(d, reason);
        List<Inbound> rest = d.dropWaiting();
        pending -= rest.size();
        for (Inbound in : rest) {
            onMessage(in);
        }
    }

    @Override
    public void onLinkDown(String reason) {
        dropAll(reason);
    }

    /** Reports every device disconnected and forgets the messages not yet handed to the platform. */
    void dropAll(String reason) {
        List<Device> all = new ArrayList<>(devices.values());
        devices.clear();
        deviceCount = 0;
        for (Device d : all) {
            d.active = false;
            pending -= d.dropWaiting().size();
            disconnect(d, reason);
        }
    }

    private void disconnect(Device d, String reason) {
        BrokeredConnection c = d.connection;
        if (c != null && c.isOpen()) {
            c.markClosed();
            try {
                listener.disconnected(c, reason);
            } catch (RuntimeException e) {
                LOG.warn("Network component {}: the platform failed on the disconnection of {}: {}", componentId, d, e.toString());
            }
        }
    }

    private void warn(String kind, String format, Object... args) {
        if (throttle.allow(kind, System.nanoTime())) {
            LOG.warn(format + " (similar messages are logged at most every 30 s, at DEBUG in between)", args);
        } else {
            LOG.debug(format, args);
        }
    }

    // ------------------------------------------------------------------ counters, any thread

    /** Devices currently known: logged in or being checked. */
    int count() {
        return deviceCount;
    }

    /** Messages received from the broker whose stage has not completed yet (waiting or with the platform). */
    int pendingMessages() {
        return pending;
    }

    /** Messages with the platform now. */
    int inflight() {
        return inflight;
    }

    // ------------------------------------------------------------------ device state

    private static final class Refusal {
        final long at;
        long skipped;

        Refusal(long at) {
            this.at = at;
        }
    }

    /** One device seen in the topics; loop-confined. */
    private static final class Device {
        final String key;
        final String productId;
        final String deviceId;
        final ArrayDeque<Inbound> backlog = new ArrayDeque<>();
        /** Messages handed to the platform and not answered for good, in the broker's order: in flight or refused. */
        final List<Inbound> offered = new ArrayList<>();
        /** Those of {@link #offered} the platform did not take for now ({@code UNAVAILABLE}). */
        final Set<Inbound> refused = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean active = true;
        BrokeredConnection connection;
        int inflight;
        /** The running pause after an {@code UNAVAILABLE}, or {@code null}. */
        ScheduledFuture<?> pause;
        long nextPause = FIRST_PAUSE_MILLIS;
        long lastActivity = System.nanoTime();

        Device(String key, String productId, String deviceId) {
            this.key = key;
            this.productId = productId;
            this.deviceId = deviceId;
        }

        /** The oldest message refused for now, no longer counted as refused, or {@code null}. */
        Inbound nextRefused() {
            if (refused.isEmpty()) {
                return null;
            }
            for (Inbound in : offered) {
                if (refused.remove(in)) {
                    return in;
                }
            }
            return null;
        }

        /** A message answered for good leaves {@link #offered}. */
        void forgetOffered(Inbound in) {
            offered.removeIf(o -> o == in);
        }

        /**
         * Ends the pause and takes out what is not with the platform: the refused messages, then the backlog, in the
         * broker's order.
         */
        List<Inbound> dropWaiting() {
            if (pause != null) {
                pause.cancel(false);
                pause = null;
            }
            List<Inbound> waiting = new ArrayList<>();
            for (Inbound in : offered) {
                if (refused.contains(in)) {
                    waiting.add(in);
                }
            }
            offered.removeIf(refused::contains);
            refused.clear();
            waiting.addAll(backlog);
            backlog.clear();
            return waiting;
        }

        @Override
        public String toString() {
            return "device " + deviceId + " of product " + productId;
        }
    }
}
