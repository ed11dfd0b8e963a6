package io.thingport.network.mqtt.client;

import static io.thingport.network.mqtt.client.Failures.describe;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's one connection to the broker: the Paho client (manual acknowledgements, options and TLS from
 * {@link BrokerOptions}), connecting and subscribing, reconnecting every {@code reconnectDelay} forever, downlink
 * publishes, and acknowledgements through the {@link AckLedger}.
 *
 * <p>Threading: Paho's threads only copy what arrives and hand it to the {@link EventLoop}, which makes every state
 * change and calls the {@link Receiver}; Paho's callback thread never waits. {@link #linkState()}, {@link #status()},
 * {@link #lastError()}, {@link #connectAttempts()} and {@link #publish} may be called on any thread.
 */
final class BrokerLink {
    private static final Logger LOG = LoggerFactory.getLogger(MqttClientComponent.class);
    private static final int FAILED_SUBSCRIPTION = 0x80;
    /** How many recent publications {@link OwnPublications} keeps, and for how long: a broker echoes within moments. */
    static final int OWN_PUBLICATIONS = 10_000;
    static final long OWN_PUBLICATION_TTL_MS = 60_000;

    enum LinkState { CONNECTING, CONNECTED, WAITING, CLOSED }

    /** What the link hands to the devices, always on the loop. */
    interface Receiver {
        /** A message from the broker. */
        void onMessage(Inbound in);

        /** The broker connection is gone (lost, or dropped on purpose): every device is to be reported disconnected. */
        void onLinkDown(String reason);
    }

    private final NetworkComponentConfig config;
    private final MqttClientSettings settings;
    private final EventLoop loop;
    private final InetSocketAddress broker;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final AckLedger acks = new AckLedger();
    /** What this component published lately: read back through its own subscription, it is dropped, not consumed. */
    private final OwnPublications own = new OwnPublications(OWN_PUBLICATIONS, OWN_PUBLICATION_TTL_MS, System::currentTimeMillis);
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger attempts = new AtomicInteger();
    private Receiver receiver;

    // Owned by the loop thread.
    private ScheduledFuture<?> reconnect;
    /** What the previous client id or filters left on the broker, cleaned up once subscribed; {@code null}: nothing. */
    private BrokerSessions.Pending sessions;

    // Written by the loop, read anywhere.
    private volatile LinkState link = LinkState.WAITING;
    private volatile String lastError;

    /** Sets the client up without connecting; a bad configuration is refused with {@code INVALID_ARGUMENT}. */
    BrokerLink(NetworkComponentConfig config, MqttClientSettings settings, EventLoop loop) {
        this.config = config;
        this.settings = settings;
        this.loop = loop;
        this.broker = new InetSocketAddress(settings.remoteHost(), settings.remotePort());
        this.options = BrokerOptions.of(config, settings);
        try {
            client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw ThingportException.invalidArgument("network component " + config.id() + ": cannot use the broker "
                    + settings.serverUri() + " with clientId '" + settings.clientId() + "': " + e.getMessage());
        }
        client.setManualAcks(true);
    }

    /** Before {@link #start}: what to clean up and record once subscribed ({@link BrokerSessions}). */
    void cleanUpAfterSubscribing(BrokerSessions.Pending sessions) {
        this.sessions = sessions;
    }

    /** Starts connecting (on the loop); from now on messages and link losses go to {@code receiver}. */
    void start(Receiver receiver) {
        this.receiver = receiver;
        client.setCallback(new Callback());
        loop.run(this::connect);
    }

    /** Waits until the first connection attempt has succeeded or failed, at most {@code connectTimeout} + 5 s. */
    void awaitFirstAttempt() {
        try {
            firstAttempt.get(settings.connectTimeout() + 5L, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("Network component {}: no answer from the broker {} yet; connecting goes on in the background",
                    config.id(), settings.serverUri());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ connecting (loop thread)

    private void connect() {
        reconnect = null;
        if (closed.get()) {
            return;
        }
        link = LinkState.CONNECTING;
        int attempt = attempts.incrementAndGet();
        try {
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    loop.run(() -> connected(attempt, token.getSessionPresent()));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    loop.run(() -> connectFailed(attempt, error));
                }
            });
        } catch (MqttException | RuntimeException e) {
            connectFailed(attempt, e);
            return;
        }
        // Paho bounds the TCP connect and TLS handshake, not the wait for CONNACK: give up on a silent broker.
        loop.schedule(() -> {
            if (attempts.get() == attempt && link == LinkState.CONNECTING && !closed.get()) {
                LOG.warn("Network component {}: the broker {} did not answer within {} s", config.id(), settings.serverUri(),
                        2 * settings.connectTimeout());
                try {
                    client.disconnectForcibly(0, 1000, false);
                } catch (MqttException | RuntimeException e) {
                    LOG.debug("Network component {}: aborting the connection attempt: {}", config.id(), e.toString());
                }
                connectFailed(attempt, new TimeoutException("no answer (CONNACK/SUBACK) within "
                        + 2 * settings.connectTimeout() + " s"));
            }
        }, 2L * settings.connectTimeout(), TimeUnit.SECONDS);
    }

    private boolean stale(int attempt) {
        return attempt != attempts.get() || link != LinkState.CONNECTING || closed.get();
    }

    private void connectFailed(int attempt, Throwable error) {
        if (stale(attempt)) {
            return;
        }
        link = LinkState.WAITING;
        lastError = describe(error);
        LOG.warn("Network component {}: cannot connect to the broker {} as {} (attempt {}): {}; trying again in {} s",
                config.id(), settings.serverUri(), settings.clientId(), attempt, lastError, settings.reconnectDelay());
        firstAttempt.complete(null);
        scheduleReconnect();
    }

    private void connected(int attempt, boolean sessionPresent) {
        if (stale(attempt)) {
            return;
        }
        List<String> filters = settings.filters();
        int[] qos = new int[filters.size()];
        Arrays.fill(qos, settings.qos());
        try {
            client.subscribe(filters.toArray(new String[0]), qos, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    loop.run(() -> subscribed(attempt, sessionPresent, granted));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    loop.run(() -> subscribeFailed(attempt, "subscribing to " + filters + " failed: " + describe(error)));
                }
            });
        } catch (MqttException | RuntimeException e) {
            subscribeFailed(attempt, "subscribing to " + filters + " failed: " + describe(e));
        }
    }

    private void subscribed(int attempt, boolean sessionPresent, int[] granted) {
        if (stale(attempt)) {
            return;
        }
        List<String> filters = settings.filters();
        for (int i = 0; i < granted.length && i < filters.size(); i++) {
            if (granted[i] == FAILED_SUBSCRIPTION) {
                subscribeFailed(attempt, "the broker refused the subscription to " + filters.get(i)
                        + " (check the broker's ACL for " + settings.clientId() + ")");
                return;
            }
        }
        link = LinkState.CONNECTED;
        lastError = null;
        LOG.info("Network component {}: connected to the broker {} as {} ({} session), subscribed to {}", config.id(),
                settings.serverUri(), settings.clientId(), sessionPresent ? "resumed" : "new", filters);
        if (sessions != null) {
            MqttConnectOptions discard = BrokerOptions.of(config, settings);
            discard.setCleanSession(true);
            sessions.subscribed(client, settings.serverUri(), discard, loop);
        }
        firstAttempt.complete(null);
    }

    private void subscribeFailed(int attempt, String reason) {
        if (stale(attempt)) {
            return;
        }
        LOG.error("Network component {}: {}; disconnecting and trying again in {} s", config.id(), reason, settings.reconnectDelay());
        firstAttempt.complete(null);
        restart(reason);
    }

    private void linkLost(Throwable cause) {
        if (closed.get() || link == LinkState.WAITING) {
            return;
        }
        acks.connectionEnded();
        link = LinkState.WAITING;
        lastError = "broker connection lost: " + describe(cause);
        LOG.warn("Network component {}: lost the connection to the broker {}: {}; reconnecting in {} s", config.id(),
                settings.serverUri(), describe(cause), settings.reconnectDelay());
        receiver.onLinkDown("broker connection lost: " + describe(cause));
        scheduleReconnect();
    }

    /**
     * Drops the broker connection on purpose (a message could not be stored, a subscription failed) and reconnects
     * after {@code reconnectDelay}: the broker then resends what was not acknowledged. Called on the loop.
     */
    void restart(String reason) {
        if (closed.get() || link == LinkState.WAITING) {
            return;
        }
        acks.connectionEnded();
        link = LinkState.WAITING;
        lastError = reason;
        receiver.onLinkDown("broker connection restarted: " + reason);
        try {
            client.disconnect(0, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    loop.run(BrokerLink.this::scheduleReconnect);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    loop.run(BrokerLink.this::scheduleReconnect);
                }
            });
        } catch (MqttException | RuntimeException e) {
            try {
                client.disconnectForcibly(0, 1000, false);
            } catch (MqttException | RuntimeException ignored) {
                // Already disconnected.
            }
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        if (closed.get() || reconnect != null || link != LinkState.WAITING) {
            return;
        }
        reconnect = loop.schedule(this::connect, settings.reconnectDelay(), TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ messages

    /** Whether {@code in} arrived on the current broker connection (else it is never acknowledged). */
    boolean isCurrent(Inbound in) {
        return acks.isCurrent(in);
    }

    /** The fate of {@code in} is settled: acknowledges it if it is QoS 1 and its connection is still up. Loop thread. */
    void ack(Inbound in) {
        AckLedger.Outcome outcome = acks.settle(in);
        if (outcome == AckLedger.Outcome.NO_ACK_NEEDED) {
            return;
        }
        if (outcome != AckLedger.Outcome.ACKNOWLEDGE || !client.isConnected()) {
            LOG.debug("Network component {}: message {} on {} is not acknowledged: {}", config.id(), in.id(), in.topic(),
                    outcome == AckLedger.Outcome.NOT_WAITING ? "it was settled before" : "its broker connection is gone");
            return;
        }
        try {
            client.messageArrivedComplete(in.id(), in.qos());
        } catch (MqttException | RuntimeException e) {
            LOG.debug("Network component {}: acknowledging message {} failed: {}", config.id(), in.id(), e.toString());
        }
    }

    /**
     * Publishes a downlink (not retained) with the configured QoS; completes, off Paho's callback thread, when Paho
     * confirms delivery (the broker's PUBACK for QoS 1). Any thread.
     */
    CompletionStage<Void> publish(String topic, byte[] payload) {
        if (link != LinkState.CONNECTED || !client.isConnected()) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                    "network component " + config.id() + " is not connected to the broker " + settings.serverUri()));
        }
        own.published(topic, payload);
        MqttMessage publish = new MqttMessage(payload);
        publish.setQos(settings.qos());
        publish.setRetained(false);
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.publish(topic, publish, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    loop.runOrHere(() -> done.complete(null));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    loop.runOrHere(() -> done.completeExceptionally(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                            "publishing to the broker failed: " + describe(error))));
                }
            });
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.INVALID_ARGUMENT,
                    "'" + topic + "' is not a topic a message can be published to: " + e.getMessage()));
        } catch (MqttException e) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                    "publishing to the broker failed: " + describe(e)));
        }
        return done;
    }

    // ------------------------------------------------------------------ closing

    /** Stops taking messages and connecting; {@code false} if the link was closing already. Any thread. */
    boolean beginClose() {
        return closed.compareAndSet(false, true);
    }

    /** Whether {@link #beginClose()} was called. */
    boolean closing() {
        return closed.get();
    }

    /** Cancels a pending reconnection. Loop thread. */
    void cancelReconnect() {
        if (reconnect != null) {
            reconnect.cancel(false);
            reconnect = null;
        }
    }

    /** Messages settled from now on are not acknowledged: the broker resends them to the next session. Loop thread. */
    void stopAcknowledging() {
        acks.connectionEnded();
    }

    /** Disconnects from the broker (waiting at most 2 s) and frees the Paho client. */
    void disconnect() {
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(2000);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("Network component {}: disconnecting from the broker: {}", config.id(), e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("Network component {}: closing the MQTT client: {}", config.id(), e.toString());
        }
        link = LinkState.CLOSED;
    }

    // ------------------------------------------------------------------ state, any thread

    /** The broker's address. */
    InetSocketAddress broker() {
        return broker;
    }

    /** The broker's URI, e.g. {@code tcp://broker:1883}. */
    String serverUri() {
        return settings.serverUri();
    }

    /** The state of the broker connection: {@code CONNECTED} once subscribed. */
    LinkState linkState() {
        return closed.get() ? LinkState.CLOSED : link;
    }

    /** "connected to …", "closed", or "connecting …"/"waiting …" with the attempt and why the last one failed. */
    String status() {
        LinkState state = linkState();
        String error = lastError;
        return switch (state) {
            case CONNECTED -> "connected to " + settings.serverUri() + " as " + settings.clientId();
            case CLOSED -> "closed";
            default -> state.name().toLowerCase(Locale.ROOT) + " " + settings.serverUri() + " (attempt "
                    + attempts.get() + (error == null ? "" : ": " + error) + ")";
        };
    }

    /** Why the last connection attempt failed or the connection was lost, or {@code null} while connected. */
    String lastError() {
        return lastError;
    }

    /** Connection attempts so far (1 + retries). */
    int connectAttempts() {
        return attempts.get();
    }

    /** Paho's callbacks: copy and hand over to the loop, never wait. */
    private final class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            loop.run(() -> linkLost(cause));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (closed.get()) {
                return;
            }
            Inbound in = new Inbound(topic, message.getPayload(), message.getId(), message.getQos(), message.isRetained(),
                    acks.connection());
            loop.run(() -> {
                acks.arrived(in);
                if (own.isEcho(in.topic(), in.payload())) {
                    LOG.debug("Network component {}: dropped {}, a message it published itself", config.id(), in.topic());
                    ack(in);
                    return;
                }
                receiver.onMessage(in);
            });
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Downlink completion is reported through each publish's own listener.
        }
    }
}
