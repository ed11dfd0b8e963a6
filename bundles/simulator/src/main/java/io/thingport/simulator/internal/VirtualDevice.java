package io.thingport.simulator.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.Product;
import io.thingport.api.device.SignedLogin;
import io.thingport.api.model.ThingModel;
import io.thingport.api.simulation.VirtualDeviceInfo;
import io.thingport.simulator.engine.MqttDeviceConnection;
import io.thingport.simulator.values.CommandAnswers;
import io.thingport.simulator.values.ValueGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated device: its connection ({@link MqttDeviceConnection}), the values it holds, its reports, its answers to
 * commands ({@link CommandAnswers}) and its reconnects. Everything it holds is confined to its event loop; the other
 * threads hand work over and wait for it.
 */
final class VirtualDevice {
    /** What a simulation hears of its devices, on their event loops (must not block). */
    interface Observer {
        Observer NONE = new Observer() {
        };

        default void loggedIn(long connectNanos) {
        }

        default void loginFailed(String detail) {
        }

        /** A report got its PUBACK. */
        default void reportAcked(long latencyNanos) {
        }

        /** A report will never get its PUBACK. */
        default void reportDropped() {
        }

        default void sessionLost(String detail) {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(VirtualDevice.class);
    /** PUBLISHes one device may have waiting for their PUBACK. */
    static final int MAX_INFLIGHT = 16;
    private static final long MAX_BACKOFF_MS = 30_000;
    private static final Object REPORT = new Object();
    private static final long WAIT_S = 10;

    final String deviceId;
    private final String productId;
    private final ThingModel model;
    private final SimulatorEngine engine;
    private final MqttTargets.Target target;
    private final Duration interval;
    private final Observer observer;
    private final EventLoop loop;
    private final MqttDeviceConnection connection;
    private final ValueGenerator generator;
    private final CommandAnswers answers;
    private final String topicPrefix;
    private final Instant started = Instant.now();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong commands = new AtomicLong();

    // ---- event-loop confined ----
    /** Values set by the operator or written by the platform: reported as they are, not generated. */
    private final Map<String, Object> held = new LinkedHashMap<>();
    private Map<String, Object> values = new LinkedHashMap<>();
    private ScheduledFuture<?> reporting;
    private ScheduledFuture<?> retry;
    private long backoffMs = 1_000;
    private long messageSeq;
    private boolean stopped;

    private volatile String state = "connecting";
    private volatile String detail = "";
    private volatile Map<String, Object> shown = Map.of();

    VirtualDevice(String deviceId, Product product, Map<String, Object> fixed, Duration interval, SimulatorEngine engine,
                  MqttTargets.Target target, Observer observer) {
        this.deviceId = deviceId;
        this.productId = product.id();
        this.model = product.thingModel();
        this.engine = engine;
        this.target = target;
        this.interval = interval;
        this.observer = observer;
        this.loop = engine.nextLoop();
        this.generator = new ValueGenerator(new SplittableRandom(), System::currentTimeMillis);
        this.answers = new CommandAnswers(model, generator);
        this.topicPrefix = "/" + productId + "/" + deviceId + "/";
        this.held.putAll(fixed);
        this.connection = new MqttDeviceConnection(engine.bootstrap(), loop, target.address(), engine.keepAliveSeconds,
                SimulatorEngine.LOGIN_TIMEOUT_MS, new Events());
    }

    EventLoop loop() {
        return loop;
    }

    boolean connected() {
        return connection.isConnected();
    }

    /** Signs a login (off the loop: it reads storage) and connects; then reports every interval. */
    void start() {
        loop.execute(() -> {
            if (!interval.isZero()) {
                long ms = interval.toMillis();
                reporting = loop.scheduleAtFixedRate(this::report, ms, ms, TimeUnit.MILLISECONDS);
            }
        });
        connect();
    }

    private void connect() {
        engine.work(() -> {
            SignedLogin login;
            try {
                login = engine.signer.signLogin(deviceId);
            } catch (RuntimeException e) {
                loop.execute(() -> failed("cannot sign a login: " + e.getMessage()));
                return;
            }
            loop.execute(() -> {
                if (!stopped) {
                    connection.connect(login, List.of(topicPrefix + "#"));
                }
            });
        });
    }

    /** Disconnects for good. Callable from any thread. */
    void stop() {
        loop.execute(() -> {
            stopped = true;
            state = "stopped";
            cancel(reporting);
            cancel(retry);
            connection.disconnect();
        });
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /**
     * Reports every property: the held values as they are, the others generated. Must run on the loop.
     *
     * @return whether it was sent (not when offline or with {@link #MAX_INFLIGHT} reports unacknowledged)
     */
    boolean report() {
        if (!connection.isConnected() || model.properties().isEmpty()) {
            return false;
        }
        Map<String, Object> next = generator.properties(model);
        next.putAll(held);
        if (!publish("properties/report", Map.of("messageId", nextMessageId(), "timestamp", System.currentTimeMillis(),
                "properties", next), REPORT)) {
            return false;
        }
        values = next;
        shown = Collections.unmodifiableMap(new LinkedHashMap<>(next));
        return true;
    }

    /** Holds and reports values; checked against the thing model first (nothing changes when one is wrong). */
    Map<String, Object> set(Map<String, Object> given) {
        Map<String, Object> normalized = model.checkReported(given);
        return onLoop(() -> {
            requireOnline(); // before any change: a refused set changes nothing
            held.putAll(normalized);
            Map<String, Object> next = new LinkedHashMap<>(values);
            next.putAll(normalized);
            values = next;
            shown = Collections.unmodifiableMap(new LinkedHashMap<>(next));
            publish("properties/report", Map.of("messageId", nextMessageId(), "timestamp", System.currentTimeMillis(),
                    "properties", normalized), REPORT);
            return shown;
        });
    }

    /** Raises an event with the data given (checked) or generated from its output type. */
    void raiseEvent(String eventId, Object data) {
        Object checked = data == null ? generator.eventData(model.event(eventId).orElseThrow(() -> new ThingportException(
                ErrorCode.UNKNOWN_IDENTIFIER, "the thing model of product " + productId + " has no event " + eventId)))
                : model.checkEvent(eventId, data);
        onLoop(() -> {
            requireOnline();
            publish("event/" + eventId, Map.of("messageId", nextMessageId(), "timestamp", System.currentTimeMillis(),
                    "data", checked), null);
            return null;
        });
    }

    private void requireOnline() {
        if (!connection.isConnected()) {
            throw new ThingportException(ErrorCode.DEVICE_OFFLINE, "virtual device " + deviceId + " is not connected"
                    + (detail.isEmpty() ? "" : " (" + detail + ")") + ": try again once it is online");
        }
    }

    private <T> T onLoop(Callable<T> work) {
        try {
            return loop.submit(work).get(WAIT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new ThingportException(ErrorCode.INTERNAL, "virtual device " + deviceId + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThingportException(ErrorCode.UNAVAILABLE, "interrupted");
        } catch (TimeoutException e) {
            throw new ThingportException(ErrorCode.TIMEOUT, "virtual device " + deviceId + " did not answer in " + WAIT_S + " s");
        }
    }

    private String nextMessageId() {
        return "v" + Long.toString(started.toEpochMilli(), 36) + "-" + (++messageSeq);
    }

    private boolean publish(String suffix, Map<String, Object> payload, Object context) {
        boolean ok = connection.publish(topicPrefix + suffix, SimulatorEngine.toJson(payload), context, MAX_INFLIGHT);
        if (ok) {
            sent.incrementAndGet();
        }
        return ok;
    }

    VirtualDeviceInfo info() {
        return new VirtualDeviceInfo(deviceId, productId, state, detail, target.component(), interval, started, sent.get(),
                acked.get(), commands.get(), shown);
    }

    private void failed(String why) {
        detail = why;
        if (stopped) {
            return;
        }
        state = "offline";
        observer.loginFailed(why);
        scheduleRetry();
    }

    private void scheduleRetry() {
        if (stopped) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        retry = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** The connection's events, on the loop. */
    private final class Events implements MqttDeviceConnection.Listener {
        @Override
        public void loggedIn(long connectNanos) {
            state = "online";
            detail = "";
            backoffMs = 1_000;
            observer.loggedIn(connectNanos);
            if (!interval.isZero()) {
                report(); // as a device does once connected: its values are known at once, not one interval later
            }
        }

        @Override
        public void loginFailed(MqttDeviceConnection.Failure failure, String why) {
            failed(why);
        }

        @Override
        public void acked(Object context, long latencyNanos) {
            acked.incrementAndGet();
            if (context == REPORT) {
                observer.reportAcked(latencyNanos);
            }
        }

        @Override
        public void dropped(Object context) {
            if (context == REPORT) {
                observer.reportDropped();
            }
        }

        @Override
        public void message(String topic, String payload) {
            if (!topic.startsWith(topicPrefix)) {
                return;
            }
            String suffix = topic.substring(topicPrefix.length());
            Map<String, Object> command = SimulatorEngine.parseObject(payload);
            if (command == null) {
                LOG.debug("Virtual device {}: ignoring a downlink on {} that is not a JSON object", deviceId, topic);
                return;
            }
            if ("error".equals(suffix)) {
                LOG.info("Virtual device {}: the platform rejected a message: {}", deviceId, payload);
                return;
            }
            Optional<CommandAnswers.Answer> answer = answers.answer(suffix, command, values);
            answer.ifPresent(a -> {
                commands.incrementAndGet();
                if (a.success()) {
                    values = new LinkedHashMap<>(a.values());
                    if ("properties/write/reply".equals(a.topicSuffix())) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> written = (Map<String, Object>) a.payload().get("properties");
                        held.putAll(written);
                    }
                    shown = Collections.unmodifiableMap(new LinkedHashMap<>(values));
                }
                publish(a.topicSuffix(), a.payload(), null);
            });
        }

        @Override
        public void closed(boolean byUs, String why) {
            if (byUs || stopped) {
                return;
            }
            state = "offline";
            detail = why;
            observer.sessionLost(why);
            scheduleRetry();
        }
    }
}
