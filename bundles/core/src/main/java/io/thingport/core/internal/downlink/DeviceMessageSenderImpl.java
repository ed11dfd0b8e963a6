package io.thingport.core.internal.downlink;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.device.LogType;
import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceCommand;
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
import io.thingport.core.internal.gateway.CodecTopics;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.gateway.DeviceSessions;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.registry.DeviceRecord;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * session's codec, write it, and wait for the reply with the same messageId (or time out with a clear error).
 */
@Component(service = {DeviceMessageSenderImpl.class, DeviceMessageSender.class})
public final class DeviceMessageSenderImpl implements DeviceMessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceMessageSenderImpl.class);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    private final DeviceSessions sessions;
    private final DeviceServiceImpl devices;
    private final ProductServiceImpl products;
    private final DeviceLogServiceImpl log;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "thingport-reply-timeouts");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final String idPrefix = Long.toString(System.currentTimeMillis(), 36) + "-";

    private record Pending(DeviceCommand command, CompletableFuture<DeviceReply> reply, ScheduledFuture<?> timeout) {
    }

    @Activate
    public DeviceMessageSenderImpl(@Reference DeviceSessions sessions, @Reference DeviceServiceImpl devices,
                                   @Reference ProductServiceImpl products,
                         @Reference DeviceLogServiceImpl log) {
        this.sessions = sessions;
        this.devices = devices;
        this.products = products;
        this.log = log;
    }

    @Deactivate
    void close() {
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
    public CompletionStage<DeviceReply> send(DeviceCommand command, Duration timeout) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            return CompletableFuture.failedFuture(ThingportException.invalidArgument("timeout must be between 1 ms and 10 minutes"));
        }
        try {
            DeviceRecord device = devices.record(command.deviceId())
                    .orElseThrow(() -> ThingportException.notFound("device", command.deviceId()));
            Product product = products.getProduct(device.productId());
            DeviceCommand checked = validate(command, device, product.thingModel());
            DeviceSession session = sessions.find(device.id()).orElseThrow(() -> new ThingportException(ErrorCode.DEVICE_OFFLINE,
                    "device " + device.id() + " is offline"));
            String key = key(device.id(), checked.messageId());
            CompletableFuture<DeviceReply> reply = new CompletableFuture<>();
            ScheduledFuture<?> timer = this.timer.schedule(() -> expire(key, checked, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (pending.putIfAbsent(key, new Pending(checked, reply, timer)) != null) {
                timer.cancel(false);
                throw new ThingportException(ErrorCode.CONFLICT, "a command with messageId " + checked.messageId()
                        + " is already waiting for device " + device.id());
            }
            deliver(session, checked).whenComplete((ok, error) -> {
                if (error != null && pending.remove(key) != null) {
                    timer.cancel(false);
                    reply.completeExceptionally(error);
                }
            });
            return reply;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
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
        return session.connection().send(encoded).toCompletableFuture();
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

    /** Fails at once the commands still waiting for a device whose connection closed: no reply can come now. */
    public void deviceWentOffline(String deviceId) {
        String prefix = deviceId + '\u0000';
        pending.forEach((key, p) -> {
            if (key.startsWith(prefix) && pending.remove(key, p)) {
                p.timeout().cancel(false);
                p.reply().completeExceptionally(new ThingportException(ErrorCode.DEVICE_OFFLINE, "device " + deviceId
                        + " went offline before replying to " + p.command().type().topicSuffix() + " " + p.command().messageId()));
            }
        });
    }
}
