package io.thingport.core.internal.downlink;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandState;
import io.thingport.api.device.CommandTicket;
import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.device.LogType;
import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceCommand;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceReply;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.InvokeFunctionReply;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.RegisterReply;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.model.ThingModel;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import io.thingport.core.internal.gateway.CodecTopics;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.gateway.DeviceSessions;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.queue.CommandQueueImpl;
import io.thingport.core.internal.registry.DeviceRecord;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downlink path: validate a command against the thing model, find the device's session, encode with the
 * session's codec, write it, and wait for the reply with the same messageId (or time out with a clear error). A
 * sleepy product's command for a device that is not connected goes to its {@link CommandQueueImpl} instead, and is
 * written when the device makes contact ({@link #flush}).
 */
@Component(service = {DeviceMessageSenderImpl.class, DeviceMessageSender.class})
public final class DeviceMessageSenderImpl implements DeviceMessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceMessageSenderImpl.class);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    /** How often queued commands past their time to live, and sent ones past their reply, are ended. */
    static final long SWEEP_INTERVAL_MS = 5_000;

    private final DeviceSessions sessions;
    private final DeviceServiceImpl devices;
    private final ProductServiceImpl products;
    private final DeviceLogServiceImpl log;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "thingport-reply-timeouts");
        t.setDaemon(true);
        return t;
    });
    /** Runs the queue's storage work that follows a reply, and the sweep: never on a network or storage thread. */
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "thingport-command-queue");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** The callers of queued commands, by device and message id, until the command ends. */
    private final Map<String, CompletableFuture<DeviceReply>> waiters = new ConcurrentHashMap<>();
    private final CommandQueueImpl queue;
    private final List<AutoCloseable> subscriptions;
    /** The last queued write of each device being flushed, which the next flush of the device follows. */
    private final Map<String, CompletableFuture<Void>> writing = new ConcurrentHashMap<>();
    private final Object[] flushLocks = new Object[64];
    private final AtomicLong sequence = new AtomicLong();
    private final String idPrefix = Long.toString(System.currentTimeMillis(), 36) + "-";

    private record Pending(DeviceCommand command, CompletableFuture<DeviceReply> reply, ScheduledFuture<?> timeout) {
    }

    @Activate
    public DeviceMessageSenderImpl(@Reference DeviceSessions sessions, @Reference DeviceServiceImpl devices,
                                   @Reference ProductServiceImpl products, @Reference DeviceLogServiceImpl log,
                                   @Reference CommandQueueImpl queue, @Reference DeviceEventBusImpl events) {
        this.sessions = sessions;
        this.devices = devices;
        this.products = products;
        this.log = log;
        this.queue = queue;
        for (int i = 0; i < flushLocks.length; i++) {
            flushLocks[i] = new Object();
        }
        List<AutoCloseable> subs = new ArrayList<>();
        if (queue != null && events != null) {
            // failed and replied commands end through their reply on this node (deliverQueued); a sent command the sweep
            // fails was sent before a restart, and has no caller waiting any more
            for (CommandState s : List.of(CommandState.EXPIRED, CommandState.CANCELLED)) {
                subs.add(events.subscribe("/device/+/+/event/" + s.eventId(), this::queuedCommandEnded));
            }
            sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
        this.subscriptions = List.copyOf(subs);
    }

    @Deactivate
    public void close() {
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.debug("Could not end a subscription: {}", e.toString());
            }
        }
        sweeper.shutdownNow();
        waiters.values().forEach(w -> w.completeExceptionally(
                new ThingportException(ErrorCode.INTERNAL, "the platform stopped before the queued command ended")));
        waiters.clear();
        timer.shutdownNow();
        pending.values().forEach(p -> p.reply().completeExceptionally(
                new ThingportException(ErrorCode.INTERNAL, "the platform stopped before the device replied")));
        pending.clear();
    }

    @Override
    public String newMessageId() {
        return idPrefix + sequence.incrementAndGet();
    }

    @Override
    public CommandTicket submit(DeviceCommand command, Duration timeout) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            return refused(command, ThingportException.invalidArgument("timeout must be between 1 ms and 10 minutes"));
        }
        try {
            DeviceRecord device = devices.record(command.deviceId())
                    .orElseThrow(() -> ThingportException.notFound("device", command.deviceId()));
            Product product = products.getProduct(device.productId());
            DeviceCommand checked = validate(command, device, product.thingModel());
            Optional<DeviceSession> session = sessions.find(device.id());
            if (product.options().downlink().isSleepy() && (session.isEmpty() || queue.hasWaiting(device.id()))) {
                return enqueue(checked, product, timeout, session);
            }
            if (session.isEmpty()) {
                throw new ThingportException(ErrorCode.DEVICE_OFFLINE, "device " + device.id() + " is offline");
            }
            CompletableFuture<DeviceReply> reply = awaitReply(checked, timeout);
            deliver(session.get(), checked).whenComplete((ok, error) -> {
                if (error != null) {
                    fail(checked, error);
                }
            });
            return new CommandTicket(checked.messageId(), CommandState.SENT, reply);
        } catch (RuntimeException e) {
            return refused(command, e);
        }
    }

    private static CommandTicket refused(DeviceCommand command, RuntimeException e) {
        return new CommandTicket(command.messageId(), CommandState.FAILED, CompletableFuture.failedFuture(e));
    }

    /** Queues a command for a sleepy device; delivers the queue at once when the device is connected (it had some waiting). */
    private CommandTicket enqueue(DeviceCommand checked, Product product, Duration timeout, Optional<DeviceSession> session) {
        String key = key(checked.deviceId(), checked.messageId());
        CompletableFuture<DeviceReply> reply = new CompletableFuture<>();
        if (pending.containsKey(key) || waiters.putIfAbsent(key, reply) != null) {
            throw new ThingportException(ErrorCode.CONFLICT, "a command with messageId " + checked.messageId()
                    + " is already waiting for device " + checked.deviceId());
        }
        try {
            queue.enqueue(checked, product.options().queue(), timeout);
        } catch (RuntimeException e) {
            waiters.remove(key, reply);
            throw e;
        }
        session.ifPresent(this::flush);
        return new CommandTicket(checked.messageId(), CommandState.QUEUED, reply);
    }

    /** Registers a command as waiting for its reply, failed with {@code TIMEOUT} when none comes in time. */
    private CompletableFuture<DeviceReply> awaitReply(DeviceCommand checked, Duration timeout) {
        String key = key(checked.deviceId(), checked.messageId());
        CompletableFuture<DeviceReply> reply = new CompletableFuture<>();
        ScheduledFuture<?> timer = this.timer.schedule(() -> expire(key, checked, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (pending.putIfAbsent(key, new Pending(checked, reply, timer)) != null) {
            timer.cancel(false);
            throw new ThingportException(ErrorCode.CONFLICT, "a command with messageId " + checked.messageId()
                    + " is already waiting for device " + checked.deviceId());
        }
        return reply;
    }

    /** Fails a command still waiting for its reply (its write failed). */
    private void fail(DeviceCommand command, Throwable error) {
        String key = key(command.deviceId(), command.messageId());
        Pending p = pending.remove(key);
        if (p != null) {
            p.timeout().cancel(false);
            p.reply().completeExceptionally(error);
        }
    }

    /** Whether the commands of a product's devices may wait in a queue (a check in memory: for network threads). */
    public boolean queues(String productId) {
        return products.findProduct(productId).map(p -> p.options().downlink().isSleepy()).orElse(false);
    }

    /**
     * The device on this session made contact: writes its waiting commands to it in queue order, and records each one's
     * reply. Blocks on storage: call it off the network thread.
     */
    public void flush(DeviceSession session) {
        String deviceId = session.deviceId();
        // two contacts of a device may flush at once: claiming and chaining under the device's lock, after the writes of
        // the previous flush, keeps the queue order on the wire
        synchronized (flushLocks[Math.floorMod(deviceId.hashCode(), flushLocks.length)]) {
            List<CommandQueueImpl.Entry> claimed = queue.claim(deviceId);
            if (claimed.isEmpty()) {
                return;
            }
            CompletableFuture<Void> previous = writing.getOrDefault(deviceId, CompletableFuture.completedFuture(null));
            for (CommandQueueImpl.Entry entry : claimed) {
                // each write starts after the previous one was handed to the transport: the device gets them in queue
                // order (on the queue's thread, not the transport's that completed the previous write)
                previous = previous.handle((x, e) -> null).thenComposeAsync(x -> deliverQueued(session, entry), sweeper);
            }
            CompletableFuture<Void> last = previous;
            writing.put(deviceId, last);
            last.whenComplete((x, e) -> writing.remove(deviceId, last));
        }
    }

    private CompletableFuture<Void> deliverQueued(DeviceSession session, CommandQueueImpl.Entry entry) {
        DeviceCommand command = entry.command().command();
        String key = key(command.deviceId(), command.messageId());
        CompletableFuture<DeviceReply> reply;
        try {
            reply = awaitReply(command, Duration.ofMillis(Math.max(1, entry.timeoutMs())));
        } catch (ThingportException e) {
            queue.finish(entry, null, e);
            completeWaiter(key, null, e);
            return CompletableFuture.completedFuture(null);
        }
        // not on the thread that completes the reply: that may be the storage's completion thread, which a storage
        // transaction waited for there would block
        reply.whenCompleteAsync((r, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            try {
                queue.finish(entry, r, cause);
            } catch (RuntimeException failure) {
                LOG.warn("Could not record the end of queued command {} of device {}: {}", command.messageId(), command.deviceId(),
                        failure.toString());
            }
            completeWaiter(key, r, cause);
        }, sweeper);
        return deliver(session, command).whenComplete((ok, error) -> {
            if (error == null) {
                queue.sent(entry);
            } else {
                fail(command, error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            }
        });
    }

    private void completeWaiter(String key, DeviceReply reply, Throwable error) {
        CompletableFuture<DeviceReply> waiter = waiters.remove(key);
        if (waiter != null) {
            if (error == null) {
                waiter.complete(reply);
            } else {
                waiter.completeExceptionally(error);
            }
        }
    }

    /** A queued command ended without being delivered (expired, cancelled): its caller hears it. */
    private void queuedCommandEnded(String topic, DeviceMessage message) {
        if (message instanceof DeviceEvent event && event.data() instanceof Map<?, ?> data && data.get("commandId") instanceof String id) {
            String key = key(message.deviceId(), id);
            if (waiters.containsKey(key) && !pending.containsKey(key)) {
                Object why = data.get("message");
                ErrorCode code = CommandState.EXPIRED.wireName().equals(data.get("state")) ? ErrorCode.TIMEOUT : ErrorCode.CONFLICT;
                completeWaiter(key, null, new ThingportException(code, "queued command " + id + " of device "
                        + message.deviceId() + " is " + data.get("state") + (why == null ? "" : ": " + why)));
            }
        }
    }

    private void sweep() {
        try {
            queue.sweep();
        } catch (RuntimeException e) {
            LOG.warn("The command queue sweep failed: {}", e.toString());
        }
    }

    private static DeviceCommand validate(DeviceCommand command, DeviceRecord device, ThingModel model) {
        MessageHeader h = new MessageHeader(command.messageId(), device.productId(), device.id(), System.currentTimeMillis(),
                command.header().headers());
        if (command.messageId().isEmpty() || command.messageId().length() > MessageHeader.MAX_MESSAGE_ID_LENGTH) {
            throw ThingportException.invalidArgument("messageId must be 1 to " + MessageHeader.MAX_MESSAGE_ID_LENGTH + " characters");
        }
        if (command instanceof ReadProperties read) {
            return new ReadProperties(h, model.checkRead(read.properties()));
        }
        if (command instanceof WriteProperties write) {
            return new WriteProperties(h, model.checkWrite(write.properties()));
        }
        InvokeFunction invoke = (InvokeFunction) command;
        return new InvokeFunction(h, invoke.functionId(), model.checkInvoke(invoke.functionId(), invoke.inputs()));
    }

    private void expire(String key, DeviceCommand command, Duration timeout) {
        Pending p = pending.remove(key);
        if (p != null) {
            p.reply().completeExceptionally(new ThingportException(ErrorCode.TIMEOUT, "device " + command.deviceId()
                    + " did not reply to " + command.type().topicSuffix() + " " + command.messageId() + " within "
                    + timeout.toMillis() + " ms"));
        }
    }

    private static String key(String deviceId, String messageId) {
        return deviceId + '\u0000' + messageId;
    }

    /**
     * Encodes and writes any downlink on a session and logs it. The stage fails when the codec cannot encode the
     * message or the transport cannot write it.
     */
    public CompletableFuture<Void> deliver(DeviceSession session, DeviceMessage message) {
        EncodedMessage encoded;
        try {
            encoded = session.codec().encode(message, session.codecSession());
        } catch (ThingportException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("The protocol of gateway {} failed to encode {}: {}", session.gatewayId(), message.type(), e.toString());
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.INTERNAL, "the protocol failed to encode "
                    + message.type().topicSuffix() + ": " + e));
        }
        if (message instanceof RegisterReply reply && reply.deviceSecret() != null) {
            // The device log is for operators: it never holds a device secret.
            RegisterReply masked = new RegisterReply(reply.header(), reply.success(), reply.code(), reply.message(), "(withheld)");
            log.write(LogType.DOWNLINK, session.deviceId(), session.productId(), message.type().topicSuffix(), message.messageId(),
                    CodecTopics.of(session.codec(), encoded), "(withheld: carries the device secret)", Json.write(masked),
                    "");
        } else {
            log.write(LogType.DOWNLINK, session.deviceId(), session.productId(), message.type().topicSuffix(), message.messageId(),
                    CodecTopics.of(session.codec(), encoded), DeviceLogServiceImpl.rawText(encoded.payload()),
                    Json.write(message), "");
        }
        EncodedMessage typed = encoded.withHeader(EncodedMessage.MESSAGE_TYPE, message.type().topicSuffix());
        return session.connection().send(message.messageId().isEmpty() ? typed
                : typed.withHeader(EncodedMessage.MESSAGE_ID, message.messageId())).toCompletableFuture();
    }

    /**
     * A network component learnt what became of a command it sent (a cloud platform's delivery report): success
     * completes a write or an invoke as replied with success (a read has no values this way: it keeps waiting for the
     * device's reply); a failure fails the command with {@code code} and {@code detail}. Returns whether a command
     * waited.
     */
    public boolean outcome(String deviceId, String messageId, boolean success, String code, String detail) {
        String key = key(deviceId, messageId);
        Pending p = pending.get(key);
        if (p == null) {
            LOG.debug("No command of device {} waits for outcome {}", deviceId, messageId);
            return false;
        }
        DeviceCommand command = p.command();
        MessageHeader h = MessageHeader.of(messageId, command.productId(), deviceId, System.currentTimeMillis());
        DeviceReply reply;
        if (command instanceof WriteProperties write) {
            reply = new WritePropertiesReply(h, success, success ? null : code, success ? null : detail,
                    success ? write.properties() : Map.of());
        } else if (command instanceof InvokeFunction) {
            reply = new InvokeFunctionReply(h, success, success ? null : code, success ? null : detail, null);
        } else if (!success) {
            reply = new ReadPropertiesReply(h, false, code, detail, Map.of());
        } else {
            return false;
        }
        return complete(reply);
    }

    /** Completes the command waiting for this reply; returns false when none was waiting (late or unknown reply). */
    public boolean complete(DeviceReply reply) {
        String key = key(reply.deviceId(), reply.messageId());
        Pending p = pending.get(key);
        if (p == null || !answers(p.command(), reply) || !pending.remove(key, p)) {
            LOG.debug("No command waits for reply {} of device {}", reply.messageId(), reply.deviceId());
            return false;
        }
        p.timeout().cancel(false);
        p.reply().complete(reply);
        return true;
    }

    private static boolean answers(DeviceCommand command, DeviceReply reply) {
        return command instanceof ReadProperties && reply instanceof ReadPropertiesReply
                || command instanceof WriteProperties && reply instanceof WritePropertiesReply
                || command instanceof InvokeFunction && reply instanceof InvokeFunctionReply;
    }

    /**
     * Fails at once the commands still waiting for a device whose connection closed: no reply can come now. A sleepy
     * product's device (PSM, eDRX, DRX) is the exception: it goes back to sleep after an uplink and may answer at its
     * next contact, so its commands keep waiting for their reply until their timeout.
     */
    public void deviceWentOffline(String deviceId) {
        String prefix = deviceId + '\u0000';
        pending.forEach((key, p) -> {
            if (key.startsWith(prefix) && !queues(p.command().productId()) && pending.remove(key, p)) {
                p.timeout().cancel(false);
                p.reply().completeExceptionally(new ThingportException(ErrorCode.DEVICE_OFFLINE, "device " + deviceId
                        + " went offline before replying to " + p.command().type().topicSuffix() + " " + p.command().messageId()));
            }
        });
    }
}
