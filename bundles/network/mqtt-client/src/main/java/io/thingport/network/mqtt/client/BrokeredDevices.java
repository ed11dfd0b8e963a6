package io.thingport.network.mqtt.client;

import static io.thingport.network.mqtt.client.Failures.describe;
import static io.thingport.network.mqtt.client.Failures.unwrap;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * the platform.
 */
final class BrokeredDevices implements BrokerLink.Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(MqttClientComponent.class);

    /** A refused device is checked again after this long at the earliest. */
    static final long REFUSED_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A refusal is logged again (at WARN) after this long. */
    private static final long REFUSED_FORGET_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final int MAX_INFLIGHT_PER_DEVICE = 32;
    static final int MAX_PENDING = 10_000;

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
        if (error != null || result == null) {
            forget(d);
            String problem = error == null ? "no result" : describe(unwrap(error));
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

    private void drain(Device d) {
        while (d.active && d.connection != null && d.connection.isOpen() && d.inflight < MAX_INFLIGHT_PER_DEVICE
                && !d.backlog.isEmpty()) {
            deliver(d, d.backlog.poll());
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
        stage.whenComplete((ignored, error) -> loop.run(() -> delivered(d, in, error)));
    }

    private void delivered(Device d, Inbound in, Throwable error) {
        d.inflight--;
        inflight--;
        pending--;
        if (error == null) {
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
                if (d.connection != null && d.connection.isOpen() && d.inflight == 0 && d.backlog.isEmpty()
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
        List<Inbound> rest = new ArrayList<>(d.backlog);
        pending -= rest.size();
        d.backlog.clear();
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
            pending -= d.backlog.size();
            d.backlog.clear();
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
        boolean active = true;
        BrokeredConnection connection;
        int inflight;
        long lastActivity = System.nanoTime();

        Device(String key, String productId, String deviceId) {
            this.key = key;
            this.productId = productId;
            this.deviceId = deviceId;
        }

        @Override
        public String toString() {
            return "device " + deviceId + " of product " + productId;
        }
    }
}
