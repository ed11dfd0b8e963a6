package io.thingport.network.mqtt.client;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TlsMaterial;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
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
 * A running MQTT client: one Paho connection to the broker, and one virtual {@link TransportConnection} per device
 * seen in the topics.
 *
 * <p>Threading: Paho's threads only copy what arrives and hand it to the component's single-threaded loop, which owns
 * all device state and makes every {@link TransportListener} call; Paho's callback thread never waits for the platform.
 *
 * <p>Acknowledgements (QoS 1): Paho runs with manual acks. A message is acknowledged to the broker when its stage has
 * completed normally or with {@code FORBIDDEN}, or when it is skipped for good (topic not matching
 * {@code deviceTopic}, too large, device refused). It is not acknowledged when the platform could not store it (or
 * could not check its device): the component then drops the broker connection and reconnects after
 * {@code reconnectDelay}, and the broker (persistent session, {@code cleanSession=false}) resends every message it has
 * not had an acknowledgement for. Acknowledgements are only sent on the connection the message arrived on, so a
 * message completing after its connection was lost is not acknowledged either and comes again (at least once).
 *
 * <p>Back-pressure: at most {@value #MAX_INFLIGHT_PER_DEVICE} messages per device are with the platform at a time; the
 * rest wait in order. Unacknowledged QoS 1 messages are bounded by the broker's in-flight window (mosquitto's
 * {@code max_inflight_messages}, 20 by default); QoS 0 messages are dropped (and logged) while more than
 * {@value #MAX_PENDING} messages wait for the platform.
 */
final class MqttClientComponent implements NetworkComponent {
    private static final Logger LOG = LoggerFactory.getLogger(MqttClientComponent.class);

    /** A refused device is checked again after this long at the earliest. */
    static final long REFUSED_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A refusal is logged again (at WARN) after this long. */
    private static final long REFUSED_FORGET_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final int MAX_INFLIGHT_PER_DEVICE = 32;
    static final int MAX_PENDING = 10_000;
    private static final long CLOSE_GRACE_MILLIS = 3000;
    private static final int FAILED_SUBSCRIPTION = 0x80;

    enum LinkState { CONNECTING, CONNECTED, WAITING, CLOSED }

    /** One message as it came from the broker, with the number of the broker connection it came on. */
    private record Inbound(String topic, byte[] payload, int id, int qos, boolean retained, int generation) {
    }

    private final NetworkComponentConfig config;
    private final MqttClientSettings settings;
    private final TransportListener listener;
    private final InetSocketAddress broker;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final ScheduledExecutorService loop;
    private final LogThrottle throttle = new LogThrottle(TimeUnit.SECONDS.toNanos(30));
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger attempts = new AtomicInteger();

    // Owned by the loop thread.
    private final Map<String, Device> devices = new HashMap<>();
    private final Map<String, Refusal> refused = new HashMap<>();
    private ScheduledFuture<?> reconnect;
    private long connectionSeq;

    // Written by the loop, read anywhere.
    private volatile int generation;
    private volatile LinkState link = LinkState.WAITING;
    private volatile String lastError;
    private volatile boolean closing;
    private volatile int pending;
    private volatile int inflight;
    private volatile int deviceCount;

    private MqttClientComponent(NetworkComponentConfig config, MqttClientSettings settings, TransportListener listener,
                                MqttAsyncClient client, MqttConnectOptions options) {
        this.config = config;
        this.settings = settings;
        this.listener = listener;
        this.client = client;
        this.options = options;
        this.broker = new InetSocketAddress(settings.remoteHost(), settings.remotePort());
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mqtt-client-" + config.id());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.loop = executor;
    }

    static MqttClientComponent start(NetworkComponentConfig config, MqttClientSettings settings, TransportListener listener) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(settings.cleanSession());
        options.setKeepAliveInterval(settings.keepAlive());
        options.setConnectionTimeout(settings.connectTimeout());
        options.setAutomaticReconnect(false);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setMaxInflight(1000);
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().toCharArray());
        }
        if (settings.tls()) {
            options.setSocketFactory(socketFactory(config));
            options.setHttpsHostnameVerificationEnabled(true);
        }
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw ThingportException.invalidArgument("network component " + config.id() + ": cannot use the broker "
                    + settings.serverUri() + " with clientId '" + settings.clientId() + "': " + e.getMessage());
        }
        client.setManualAcks(true);
        MqttClientComponent component = new MqttClientComponent(config, settings, listener, client, options);
        client.setCallback(component.new Callback());
        component.begin();
        return component;
    }

    /** TLS towards the broker: the component's certificate (if any) as client certificate, the configured trust. */
    private static SSLSocketFactory socketFactory(NetworkComponentConfig config) {
        KeyManager[] keys = null;
        TlsMaterial own = config.certificate();
        if (own != null) {
            if (own.key() == null) {
                throw ThingportException.invalidArgument("network component " + config.id() + ": certificate " + own.name()
                        + " has no private key, so it cannot identify this client to the broker");
            }
            try {
                keys = own.keyManagerFactory().getKeyManagers();
            } catch (ThingportException e) {
                throw ThingportException.invalidArgument("network component " + config.id() + ": " + e.getMessage());
            }
        }
        TrustManager[] trust = null;
        if (!config.trusted().isEmpty()) {
            try {
                trust = TlsMaterial.trustManagerFactory(config.trusted()).getTrustManagers();
            } catch (ThingportException e) {
                throw ThingportException.invalidArgument("network component " + config.id() + ": trust: " + e.getMessage());
            }
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw ThingportException.invalidArgument("network component " + config.id() + ": TLS cannot be set up: " + e.getMessage());
        }
    }

    private void begin() {
        run(this::connect);
        long sweep = settings.idleTimeout() == 0 ? 30 : Math.max(1, Math.min(30, settings.idleTimeout() / 2));
        loop.scheduleWithFixedDelay(guarded(this::sweep), sweep, sweep, TimeUnit.SECONDS);
        try {
            firstAttempt.get(settings.connectTimeout() + 5L, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("Network component {}: no answer from the broker {} yet; connecting goes on in the background",
                    config.id(), settings.serverUri());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ the broker link (loop thread)

    private void connect() {
        reconnect = null;
        if (closing) {
            return;
        }
        link = LinkState.CONNECTING;
        int attempt = attempts.incrementAndGet();
        try {
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    run(() -> connected(attempt, token.getSessionPresent()));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    run(() -> connectFailed(attempt, error));
                }
            });
        } catch (MqttException | RuntimeException e) {
            connectFailed(attempt, e);
            return;
        }
        // Paho bounds the TCP connect and TLS handshake, not the wait for CONNACK: give up on a silent broker.
        loop.schedule(guarded(() -> {
            if (attempts.get() == attempt && link == LinkState.CONNECTING && !closing) {
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
        }), 2L * settings.connectTimeout(), TimeUnit.SECONDS);
    }

    private void connectFailed(int attempt, Throwable error) {
        if (attempt != attempts.get() || link != LinkState.CONNECTING || closing) {
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
        if (attempt != attempts.get() || link != LinkState.CONNECTING || closing) {
            return;
        }
        List<String> filters = settings.filters();
        int[] qos = new int[filters.size()];
        java.util.Arrays.fill(qos, settings.qos());
        try {
            client.subscribe(filters.toArray(new String[0]), qos, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    run(() -> subscribed(attempt, sessionPresent, granted));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    run(() -> subscribeFailed(attempt, "subscribing to " + filters + " failed: " + describe(error)));
                }
            });
        } catch (MqttException | RuntimeException e) {
            subscribeFailed(attempt, "subscribing to " + filters + " failed: " + describe(e));
        }
    }

    private void subscribed(int attempt, boolean sessionPresent, int[] granted) {
        if (attempt != attempts.get() || link != LinkState.CONNECTING || closing) {
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
        firstAttempt.complete(null);
    }

    private void subscribeFailed(int attempt, String reason) {
        if (attempt != attempts.get() || link != LinkState.CONNECTING || closing) {
            return;
        }
        LOG.error("Network component {}: {}; disconnecting and trying again in {} s", config.id(), reason, settings.reconnectDelay());
        firstAttempt.complete(null);
        restartLink(reason);
    }

    private void linkLost(Throwable cause) {
        if (closing || link == LinkState.WAITING) {
            return;
        }
        generation++;
        link = LinkState.WAITING;
        lastError = "broker connection lost: " + describe(cause);
        LOG.warn("Network component {}: lost the connection to the broker {}: {}; reconnecting in {} s", config.id(),
                settings.serverUri(), describe(cause), settings.reconnectDelay());
        dropDevices("broker connection lost: " + describe(cause));
        scheduleReconnect();
    }

    /**
     * Drops the broker connection on purpose (a message could not be stored, a subscription failed) and reconnects
     * after {@code reconnectDelay}: the broker then resends what was not acknowledged.
     */
    private void restartLink(String reason) {
        if (closing || link == LinkState.WAITING) {
            return;
        }
        generation++;
        link = LinkState.WAITING;
        lastError = reason;
        dropDevices("broker connection restarted: " + reason);
        try {
            client.disconnect(0, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    run(MqttClientComponent.this::scheduleReconnect);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    run(MqttClientComponent.this::scheduleReconnect);
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
        if (closing || reconnect != null || link != LinkState.WAITING) {
            return;
        }
        reconnect = loop.schedule(guarded(this::connect), settings.reconnectDelay(), TimeUnit.SECONDS);
    }

    /** Reports every device disconnected and forgets the messages not yet handed to the platform. */
    private void dropDevices(String reason) {
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
        DeviceConnection c = d.connection;
        if (c != null && c.open) {
            c.open = false;
            try {
                listener.disconnected(c, reason);
            } catch (RuntimeException e) {
                LOG.warn("Network component {}: the platform failed on the disconnection of {}: {}", config.id(), d, e.toString());
            }
        }
    }

    // ------------------------------------------------------------------ uplinks (loop thread)

    private void onMessage(Inbound in) {
        if (closing || in.generation() != generation) {
            return; // From a connection that is gone: not acknowledged, the broker sends it again.
        }
        if (in.payload().length > settings.maxMessageLength()) {
            warn("large", "Network component {}: skipped a message of {} bytes on {}: larger than maxMessageLength {}",
                    config.id(), in.payload().length, in.topic(), settings.maxMessageLength());
            ack(in);
            return;
        }
        Matcher m = settings.deviceTopic().matcher(in.topic());
        String productId = null;
        String deviceId = null;
        if (m.matches()) {
            productId = m.group("productId");
            deviceId = m.group("deviceId");
        }
        if (productId == null || deviceId == null || productId.isEmpty() || deviceId.isEmpty()) {
            warn("topic", "Network component {}: skipped a message on {}: the topic does not match deviceTopic {}",
                    config.id(), in.topic(), settings.deviceTopic().pattern());
            ack(in);
            return;
        }
        String key = productId + '\n' + deviceId;
        long now = System.nanoTime();
        Device d = devices.get(key);
        if (d == null) {
            Refusal r = refused.get(key);
            if (r != null && now - r.at < REFUSED_RECHECK_NANOS) {
                r.skipped++;
                ack(in);
                return;
            }
            d = new Device(key, productId, deviceId);
            devices.put(key, d);
            deviceCount = devices.size();
            authenticate(d);
        }
        if (in.qos() == 0 && pending >= MAX_PENDING) {
            warn("overload", "Network component {}: dropped a QoS 0 message of {}: {} messages are waiting for the platform",
                    config.id(), d, pending);
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
            stage = listener.authenticate(AuthRequest.brokered(Transport.MQTT, d.deviceId, d.productId, broker));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((result, error) -> run(() -> authenticated(d, result, error)));
    }

    private void authenticated(Device d, AuthResult result, Throwable error) {
        if (!d.active) {
            return; // Dropped meanwhile (broker connection lost, component closing).
        }
        if (error != null || result == null) {
            forget(d);
            String problem = error == null ? "no result" : describe(unwrap(error));
            LOG.warn("Network component {}: could not check {}: {}", config.id(), d, problem);
            notStored(d.backlog, "the platform could not check " + d + ": " + problem);
            pending -= d.backlog.size();
            d.backlog.clear();
            return;
        }
        if (!result.accepted()) {
            forget(d);
            long now = System.nanoTime();
            Refusal before = refused.get(d.key);
            refused.put(d.key, new Refusal(now));
            String failure = (result.failure() == null ? "refused" : result.failure().toString())
                    + (result.detail() == null || result.detail().isEmpty() ? "" : ": " + result.detail());
            if (before == null) {
                LOG.warn("Network component {}: {} was refused ({}); its messages are skipped and acknowledged, and it is "
                        + "checked again after 30 s at the earliest", config.id(), d, failure);
            } else {
                LOG.debug("Network component {}: {} was refused again ({}); {} messages skipped since the last check",
                        config.id(), d, failure, before.skipped);
            }
            for (Inbound in : d.backlog) {
                ack(in);
            }
            pending -= d.backlog.size();
            d.backlog.clear();
            return;
        }
        refused.remove(d.key);
        d.connection = new DeviceConnection(d, d.productId + "/" + d.deviceId + "#" + (++connectionSeq));
        try {
            listener.connected(d.connection, result);
        } catch (RuntimeException e) {
            LOG.warn("Network component {}: the platform failed on the connection of {}: {}", config.id(), d, e.toString());
        }
        drain(d);
    }

    private void forget(Device d) {
        d.active = false;
        if (devices.get(d.key) == d) {
            devices.remove(d.key);
        }
        deviceCount = devices.size();
    }

    private void drain(Device d) {
        while (d.active && d.connection != null && d.connection.open && d.inflight < MAX_INFLIGHT_PER_DEVICE
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
        stage.whenComplete((ignored, error) -> run(() -> delivered(d, in, error)));
    }

    private void delivered(Device d, Inbound in, Throwable error) {
        d.inflight--;
        inflight--;
        pending--;
        if (error == null) {
            ack(in);
        } else {
            Throwable cause = unwrap(error);
            if (cause instanceof ThingportException te && te.code() == ErrorCode.FORBIDDEN) {
                warn("forbidden", "Network component {}: a message of {} on {} broke the access rules and is dropped: {}",
                        config.id(), d, in.topic(), te.getMessage());
                ack(in);
            } else {
                LOG.warn("Network component {}: the platform could not store a message of {} on {}: {}", config.id(), d,
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
            if (in.qos() > 0 && in.generation() == generation) {
                restartLink(reason + "; reconnecting so that the broker resends the unacknowledged messages");
                return;
            }
        }
    }

    private void ack(Inbound in) {
        if (in.qos() == 0) {
            return;
        }
        if (in.generation() != generation || !client.isConnected()) {
            LOG.debug("Network component {}: message {} on {} is not acknowledged: its broker connection is gone",
                    config.id(), in.id(), in.topic());
            return;
        }
        try {
            client.messageArrivedComplete(in.id(), in.qos());
        } catch (MqttException | RuntimeException e) {
            LOG.debug("Network component {}: acknowledging message {} failed: {}", config.id(), in.id(), e.toString());
        }
    }

    /** Idle devices are reported disconnected; old refusals are forgotten. */
    private void sweep() {
        long now = System.nanoTime();
        if (settings.idleTimeout() > 0) {
            long idle = TimeUnit.SECONDS.toNanos(settings.idleTimeout());
            for (Device d : new ArrayList<>(devices.values())) {
                if (d.connection != null && d.connection.open && d.inflight == 0 && d.backlog.isEmpty()
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
        if (!d.active || d.connection == null || !d.connection.open) {
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

    // ------------------------------------------------------------------ NetworkComponent

    @Override
    public NetworkComponentConfig config() {
        return config;
    }

    /** The broker's address (a client binds nothing). */
    @Override
    public InetSocketAddress boundAddress() {
        return broker;
    }

    /** Devices currently known: logged in or being checked. */
    @Override
    public int connectionCount() {
        return deviceCount;
    }

    @Override
    public String status() {
        LinkState state = linkState();
        String error = lastError;
        return switch (state) {
            case CONNECTED -> "connected to " + settings.serverUri() + " as " + settings.clientId();
            case CLOSED -> "closed";
            default -> state.name().toLowerCase(java.util.Locale.ROOT) + " " + settings.serverUri() + " (attempt "
                    + attempts.get() + (error == null ? "" : ": " + error) + ")";
        };
    }

    /** The state of the broker connection: {@code CONNECTED} once subscribed. */
    LinkState linkState() {
        return closed.get() ? LinkState.CLOSED : link;
    }

    boolean brokerConnected() {
        return linkState() == LinkState.CONNECTED;
    }

    /** Why the last connection attempt failed or the connection was lost, or {@code null} while connected. */
    String lastError() {
        return lastError;
    }

    /** Connection attempts so far (1 + retries). */
    int connectAttempts() {
        return attempts.get();
    }

    /** Messages received from the broker whose stage has not completed yet (waiting or with the platform). */
    int pendingMessages() {
        return pending;
    }

    /**
     * Stops reading, reports every device disconnected, waits up to {@value #CLOSE_GRACE_MILLIS} ms for the messages
     * the platform is storing (acknowledging them), then disconnects from the broker and stops its threads.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        awaitOnLoop(() -> {
            if (reconnect != null) {
                reconnect.cancel(false);
                reconnect = null;
            }
            dropDevices("network component " + config.id() + " stopped");
        });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
        while (inflight > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        awaitOnLoop(() -> generation++);
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
        loop.shutdownNow();
        try {
            loop.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Network component {}: disconnected from the broker {}", config.id(), settings.serverUri());
    }

    private void awaitOnLoop(Runnable task) {
        try {
            loop.submit(guarded(task)).get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            LOG.debug("Network component {}: closing: {}", config.id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Runs {@code task} on the loop; dropped once the component is closed. */
    private void run(Runnable task) {
        try {
            loop.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("Network component {} is closed; dropped a task", config.id());
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Network component {}: unexpected failure", config.id(), e);
            }
        };
    }

    private void warn(String kind, String format, Object... args) {
        if (throttle.allow(kind, System.nanoTime())) {
            LOG.warn(format + " (similar messages are logged at most every 30 s, at DEBUG in between)", args);
        } else {
            LOG.debug(format, args);
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Throwable error) {
        if (error == null) {
            return "unknown reason";
        }
        StringBuilder text = new StringBuilder(error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
        Throwable cause = error.getCause();
        while (cause != null && cause != error) {
            String message = cause.getMessage();
            if (message == null || !text.toString().contains(message)) {
                text.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(message).append(')');
            }
            error = cause;
            cause = cause.getCause();
        }
        return text.toString();
    }

    // ------------------------------------------------------------------ device state

    private static final class Refusal {
        final long at;
        long skipped;

        Refusal(long at) {
            this.at = at;
        }
    }

    /** One device seen in the topics; loop-confined except {@link DeviceConnection#open}. */
    private static final class Device {
        final String key;
        final String productId;
        final String deviceId;
        final ArrayDeque<Inbound> backlog = new ArrayDeque<>();
        boolean active = true;
        DeviceConnection connection;
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

    /** The platform's view of one device behind the broker. */
    private final class DeviceConnection implements TransportConnection {
        private final Device device;
        private final String id;
        volatile boolean open = true;

        DeviceConnection(Device device, String id) {
            this.device = device;
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Transport transport() {
            return Transport.MQTT;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return broker;
        }

        /** Publishes to the broker with the configured QoS; completes when Paho confirms delivery (PUBACK for QoS 1). */
        @Override
        public CompletionStage<Void> send(EncodedMessage message) {
            if (!open) {
                return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                        device + " is not connected through network component " + config.id()));
            }
            if (link != LinkState.CONNECTED || !client.isConnected()) {
                return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                        "network component " + config.id() + " is not connected to the broker " + settings.serverUri()));
            }
            MqttMessage publish = new MqttMessage(message.payload());
            publish.setQos(settings.qos());
            publish.setRetained(false);
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                client.publish(message.topic(), publish, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        complete(() -> done.complete(null));
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable error) {
                        complete(() -> done.completeExceptionally(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                                "publishing to the broker failed: " + describe(error))));
                    }
                });
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(new ThingportException(ErrorCode.INVALID_ARGUMENT,
                        "'" + message.topic() + "' is not a topic a message can be published to: " + e.getMessage()));
            } catch (MqttException e) {
                return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                        "publishing to the broker failed: " + describe(e)));
            }
            return done;
        }

        /** Completes a downlink stage off Paho's callback thread (the platform's continuations may be slow). */
        private void complete(Runnable completion) {
            try {
                loop.execute(completion);
            } catch (RejectedExecutionException e) {
                completion.run();
            }
        }

        @Override
        public void close(String reason) {
            run(() -> closeDevice(device, reason));
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public String toString() {
            return device + " via " + settings.serverUri();
        }
    }

    /** Paho's callbacks: copy and hand over to the loop, never wait. */
    private final class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            run(() -> linkLost(cause));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (closing) {
                return;
            }
            Inbound in = new Inbound(topic, message.getPayload(), message.getId(), message.getQos(), message.isRetained(),
                    generation);
            run(() -> onMessage(in));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Downlink completion is reported through each publish's own listener.
        }
    }
}
