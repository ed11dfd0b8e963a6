package io.thingport.core.internal.gateway;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.TopicFilters;
import io.thingport.api.device.LogType;
import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceOffline;
import io.thingport.api.message.DeviceOnline;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.RegisterReply;
import io.thingport.api.message.RegisterRequest;
import io.thingport.api.message.ShadowReply;
import io.thingport.api.message.ShadowRequest;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.downlink.DeviceMessageSenderImpl;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import io.thingport.core.internal.gateway.UplinkDecoder.Decoded;
import io.thingport.core.internal.gateway.UplinkDecoder.Failed;
import io.thingport.core.internal.gateway.UplinkDecoder.Outcome;
import io.thingport.core.internal.gateway.UplinkDecoder.Refused;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.log.RefusedLogins;
import io.thingport.core.internal.pipeline.UplinkPipeline;
import io.thingport.core.internal.protocol.RevisionFallbacks;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import io.thingport.core.internal.registry.TopologyServiceImpl;
import io.thingport.core.internal.shadow.ShadowServiceImpl;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device access gateway: a network component speaking one protocol. It authenticates connections with the
 * protocol's authenticator (on worker threads), keeps their sessions, decodes uplinks with the protocol's codec
 * ({@link UplinkDecoder}) and hands them to the uplink pipeline, and answers dynamic registrations.
 *
 * <p>An uplink that no revision of the protocol can decode for a fault of the code (not a {@code CodecException})
 * fails: the transport does not acknowledge it and the device sends it again. It is logged, and noted in the device
 * log, once per revision and {@link FailureNotices#INTERVAL_MS}, not once per message.
 */
public final class DeviceGateway implements TransportListener {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceGateway.class);

    /**
     * The connection of a registration is closed this long after the reply is written: clients that hand incoming
     * messages to another thread (Paho does) may drop the ones still queued when the connection goes away.
     */
    static final long REGISTRATION_CLOSE_DELAY_MS = 1000;

    private final String id;
    private final Services services;
    private final UplinkDecoder decoder;
    private final FailureNotices failures = new FailureNotices();
    private final Map<TransportConnection, DeviceSession> byConnection = new ConcurrentHashMap<>();
    /** When back-pressure was last logged, by any gateway: once a minute at most, not once per refused uplink. */
    private static final AtomicLong lastBusyWarning = new AtomicLong();
    private static final long BUSY_WARNING_INTERVAL_MS = 60_000;

    /**
     * What a gateway uses of the platform.
     *
     * @param fallbacks the previous revisions of protocol packages on probation, and their rollback
     */
    public record Services(ProductServiceImpl products, DeviceServiceImpl devices, DeviceSessions sessions, DeviceLogServiceImpl log,
                           RefusedLogins refusals, UplinkPipeline pipeline, DeviceMessageSenderImpl sender, DeviceEventBusImpl events,
                           Executor workers, UplinkBudget budget, RevisionFallbacks fallbacks, ShadowServiceImpl shadows,
                           TopologyServiceImpl topology) {
    }

    /** @param services what it uses of the platform, or {@code null} for a gateway that only names a session's owner (tests) */
    public DeviceGateway(String id, ProtocolSupport protocol, Transport transport, Services services) {
        this.id = id;
        this.services = services;
        this.decoder = new UplinkDecoder(protocol, transport, services == null ? RevisionFallbacks.NONE : services.fallbacks());
    }

    public String id() {
        return id;
    }

    public ProtocolSupport protocol() {
        return decoder.live().protocol();
    }

    /** The codec new uplinks and downlinks use. */
    public DeviceCodec codec() {
        return decoder.live().codec();
    }

    /**
     * Serves new messages with another version of the same protocol, keeping every connection: a message being
     * decoded finishes with the codec it started with (or, if that one fails because it was swapped away, with the
     * new one).
     *
     * @throws RuntimeException when the new version cannot make a codec for the transport (nothing changes then)
     */
    public void swap(ProtocolSupport protocol) {
        decoder.swap(protocol);
    }

    Optional<Product> product(String productId) {
        return services.products().findProduct(productId);
    }

    public int connectionCount() {
        return byConnection.size();
    }

    /** Closes every connection this gateway serves (it was disabled, deleted or re-bound). */
    public void closeAll(String reason) {
        byConnection.keySet().forEach(c -> c.close(reason));
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        return check(request).thenApply(result -> {
            if (!result.accepted()) {
                logRefusal(request, result);
            }
            return result;
        });
    }

    /**
     * Checks a login without logging a refusal: {@link #credentials} then {@link #admit}.
     */
    public CompletionStage<AuthResult> check(AuthRequest request) {
        return credentials(request).thenApply(this::admit);
    }

    /**
     * The protocol's verdict on the credentials (or, for a device an external broker vouches for, the registry's),
     * on a worker thread. Gateways that share a component and a protocol ask once per login: an authenticator may
     * remember what it accepted (the official one refuses a replayed timestamp).
     */
    public CompletionStage<AuthResult> credentials(AuthRequest request) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return request.brokered() ? brokered(request)
                            : protocol().authenticator(request.transport()).authenticate(request, services.devices().authContext());
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("The authenticator of protocol {} failed: {}", protocol().id(), e.toString());
                    return AuthResult.refuse(AuthFailure.NOT_AUTHORIZED, null, "the protocol's authenticator failed: " + e);
                }
            }, services.workers());
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(AuthResult.refuse(AuthFailure.SERVER_BUSY, null, e.getMessage()));
        }
    }

    /** Applies the product's gateway binding to a verdict and attaches the codec's login reply. */
    public AuthResult admit(AuthResult verdict) {
        AuthResult result = verdict;
        if (result.accepted()) {
            String bound = services.products().findProduct(result.productId()).map(p -> p.gateway()).orElse(null);
            if (bound != null && !bound.equals(id)) {
                result = AuthResult.refuse(AuthFailure.NOT_AUTHORIZED, result.deviceId(), "product " + result.productId()
                        + " accepts devices only through gateway " + bound);
            }
        }
        try {
            AuthResult r = result;
            return codec().loginReply(r).map(r::withReply).orElse(r);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Protocol {} failed to encode a login reply: {}", protocol().id(), e.toString());
            return result;
        }
    }

    private AuthResult brokered(AuthRequest request) {
        String deviceId = request.clientId();
        return services.devices().authContext().device(deviceId)
                .map(d -> !d.productId().equals(request.username())
                        ? AuthResult.refuse(AuthFailure.NOT_AUTHORIZED, deviceId, "device " + deviceId + " belongs to product "
                                + d.productId() + ", not " + request.username())
                        : !d.enabled() ? AuthResult.refuse(AuthFailure.DISABLED_DEVICE, deviceId, "device " + deviceId + " is disabled")
                        : AuthResult.accept(deviceId, d.productId()))
                .orElseGet(() -> AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, deviceId, "device " + deviceId + " does not exist"));
    }

    /** Writes a refused login to the device log, or counts it ({@link RefusedLogins}). */
    private void logRefusal(AuthRequest request, AuthResult result) {
        services.refusals().refused(id, request, result);
    }

    @Override
    public void connected(TransportConnection connection, AuthResult result) {
        DeviceSession session = new DeviceSession(result.deviceId(), result.productId(), result.registrationOnly(), connection,
                this, System.currentTimeMillis());
        byConnection.put(connection, session);
        if (session.registrationOnly()) {
            return;
        }
        services.sessions().register(session).ifPresent(old -> old.close("taken over by a new connection from "
                + connection.remoteAddress()));
        CompletableFuture<Void> state = services.devices().markOnline(session.deviceId(), session.connectedAt());
        CompletableFuture<Void> logged = services.log().write(LogType.ONLINE, session.deviceId(), session.productId(), "online",
                "", "", "", "", "connected from " + connection.remoteAddress() + " via " + id);
        DeviceOnline online = new DeviceOnline(MessageHeader.of("", session.productId(), session.deviceId(), session.connectedAt()),
                services.devices().node(), String.valueOf(connection.remoteAddress()));
        CompletableFuture.allOf(state, logged).thenRun(() -> services.events().publish(online));
        if (ShadowDeltas.offeredAtConnect(connection.transport())) {
            // on MQTT a publish before the device subscribes is lost: its queue goes at the subscription or next uplink
            flushQueue(session);
            offerDelta(session);
        }
    }

    /** Pushes the device's shadow delta, if it has one, once per connection (off the network thread). */
    private void offerDelta(DeviceSession session) {
        if (services.shadows() != null && session.offerDeltaOnce()) {
            CompletableFuture.runAsync(() -> services.shadows().offerDelta(session), services.workers()).exceptionally(e -> {
                LOG.debug("Gateway {}: could not offer the shadow delta to {}: {}", id, session.deviceId(), e.toString());
                return null;
            });
        }
    }

    @Override
    public CompletionStage<Void> received(TransportConnection connection, EncodedMessage raw) {
        DeviceSession session = byConnection.get(connection);
        if (session == null) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.FORBIDDEN, "the connection is not authenticated"));
        }
        int size = raw.payload().length;
        UplinkBudget budget = services.budget();
        if (!budget.tryTake(size)) {
            long now = System.currentTimeMillis();
            long last = lastBusyWarning.get();
            if (now - last > BUSY_WARNING_INTERVAL_MS && lastBusyWarning.compareAndSet(last, now)) {
                LOG.warn("Uplinks are being refused for back-pressure: {} ({} refused so far)", budget.describe(), budget.refused());
            }
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.UNAVAILABLE, budget.describe()));
        }
        CompletableFuture<Void> done;
        try {
            done = decodeAndHandle(session, raw);
        } catch (RuntimeException | LinkageError e) {
            budget.give(size);
            throw e;
        }
        return done.whenComplete((ok, error) -> budget.give(size));
    }

    private CompletableFuture<Void> decodeAndHandle(DeviceSession session, EncodedMessage raw) {
        // Frame transports carry the topic inside the frame: the log and an /error reply name it all the same.
        EncodedMessage message = raw.topic().isEmpty()
                ? new EncodedMessage(CodecTopics.of(decoder.live().codec(), raw), raw.payload(), raw.headers()) : raw;
        Outcome outcome = decoder.decode(raw, session);
        if (outcome instanceof Refused refused) {
            CodecException e = refused.error();
            if (e.code() == ErrorCode.FORBIDDEN) {
                return forbidden(session, message, e.messageId(), e);
            }
            return services.pipeline().reject(session, message, e.messageId(), e.code(), e.getMessage());
        }
        if (outcome instanceof Failed failed) {
            return notDecoded(session, message, failed);
        }
        Decoded decoded = (Decoded) outcome;
        if (decoded.fellBack()) {
            LOG.debug("Gateway {}: a message on {} was decoded by the previous revision of protocol {}", id, message.topic(),
                    decoded.by().protocol().id());
        }
        List<DeviceMessage> messages = decoded.messages();
        if (messages.size() == 1) {
            return handle(session, messages.get(0), message);
        }
        return CompletableFuture.allOf(messages.stream().map(m -> handle(session, m, message))
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Fails a message that no revision of the protocol could decode for a fault of its code, so that the transport does
     * not acknowledge it (MQTT: no PUBACK and the connection closes; HTTP 503; CoAP 5.03; TCP, WebSocket and UDP: the
     * connection closes) and the device sends it again. Logged and noted in the device log as {@link FailureNotices}
     * allows.
     */
    private CompletableFuture<Void> notDecoded(DeviceSession session, EncodedMessage raw, Failed failed) {
        ProtocolSupport p = failed.by().protocol();
        String what = "protocol " + p.id() + " version " + p.version() + " failed to decode a message"
                + (raw.topic().isEmpty() ? "" : " on " + raw.topic()) + ": " + failed.error();
        long covered = failures.failed(p, System.currentTimeMillis());
        if (covered > 0) {
            String count = covered == 1 ? "" : " (" + covered + " messages since the last notice)";
            LOG.warn("Gateway {}: {}{}; not acknowledged, the devices send them again", id, what, count);
            services.log().write(LogType.REJECTED, session.deviceId(), session.productId(), "", "", raw.topic(),
                    DeviceLogServiceImpl.rawText(raw.payload()), "", "not stored, to be sent again: " + what + count);
        }
        return CompletableFuture.failedFuture(new ThingportException(ErrorCode.INTERNAL, "protocol " + p.id()
                + " could not decode the message (a fault of the protocol's code, logged on the platform): it was not stored,"
                + " send it again"));
    }

    /** Logs a breach of the access rules in the device log and fails the message with it (the transport decides the rest). */
    private CompletableFuture<Void> forbidden(DeviceSession session, EncodedMessage raw, String messageId, Exception e) {
        // The refusal completes once its log entry is written, so that the uplink holds its room in the in-flight bound
        // until then: a device sending foreign topics in a loop is slowed down like any other, not queued without end.
        return services.log().write(LogType.REJECTED, session.deviceId(), session.productId(), "", messageId, raw.topic(),
                DeviceLogServiceImpl.rawText(raw.payload()), "", "forbidden: " + e.getMessage())
                .handle((written, error) -> null).thenCompose(x -> CompletableFuture.failedFuture(e));
    }

    /** Whether a subscription receives the device's commands, as the codec addresses them. */
    private boolean coversCommands(String topicFilter, DeviceSession session) {
        try {
            String topic = codec().encode(new InvokeFunction(MessageHeader.of("", session.productId(), session.deviceId(), 0), "f",
                    Map.of()), session.codecSession()).topic();
            return !topic.isEmpty() && TopicFilters.matches(topicFilter, topic);
        } catch (RuntimeException | LinkageError e) {
            return false; // the uplink that follows delivers the queue all the same
        }
    }

    /**
     * The device made contact (its login, any uplink): a sleepy product's device gets its queued commands now, in order
     * (off the network thread: the queue is in storage).
     */
    private void flushQueue(DeviceSession session) {
        DeviceMessageSenderImpl sender = services.sender();
        if (sender == null || session.registrationOnly() || !sender.queues(session.productId())) {
            return;
        }
        try {
            CompletableFuture.runAsync(() -> sender.flush(session), services.workers()).exceptionally(e -> {
                LOG.warn("Gateway {}: could not deliver the queued commands of {}: {}", id, session.deviceId(), e.toString());
                return null;
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Gateway {}: the queued commands of {} wait for its next contact: {}", id, session.deviceId(), e.toString());
        }
    }

    private CompletableFuture<Void> handle(DeviceSession session, DeviceMessage message, EncodedMessage raw) {
        flushQueue(session);
        Optional<String> refusal = session.refusal(message);
        if (refusal.isPresent()) {
            return forbidden(session, raw, message.messageId(), new ThingportException(ErrorCode.FORBIDDEN, refusal.get()));
        }
        if (session.isForSubDevice(message)) {
            return subDevice(session, message, raw);
        }
        if (message instanceof RegisterRequest request) {
            return register(session, request, raw);
        }
        if (session.registrationOnly()) {
            return services.pipeline().reject(session, raw, message.messageId(), ErrorCode.FORBIDDEN,
                    "a registration connection may only register");
        }
        if (message instanceof ShadowRequest request) {
            return shadow(session, request, raw);
        }
        return services.pipeline().process(session, message, raw);
    }

    /**
     * A message a gateway sent for a sub-device (off the network thread: the binding may need the database). A
     * registration creates and binds the sub-device when its product allows; any other message of a bound, enabled
     * sub-device brings it online through this connection (once) and goes its way with the sub-device's own session and
     * product; a message for a device that is not this gateway's sub-device is rejected with an {@code /error} and logged.
     */
    private CompletableFuture<Void> subDevice(DeviceSession session, DeviceMessage message, EncodedMessage raw) {
        String childId = message.deviceId();
        if (message instanceof RegisterRequest request) {
            return registerChild(session, request);
        }
        return CompletableFuture.supplyAsync(() -> services.topology().boundChild(session.deviceId(), childId), services.workers())
                .thenCompose(child -> {
                    if (child.isEmpty()) {
                        return services.pipeline().reject(session, raw, message.messageId(), ErrorCode.NOT_FOUND,
                                "device " + childId + " is not a sub-device of gateway " + session.deviceId());
                    }
                    if (!child.get().enabled()) {
                        return services.pipeline().reject(session, raw, message.messageId(), ErrorCode.FORBIDDEN,
                                "sub-device " + childId + " is disabled");
                    }
                    MessageHeader h = message.header();
                    DeviceMessage own = message.withHeader(new MessageHeader(h.messageId(), child.get().productId(), childId,
                            h.timestamp(), h.headers()));
                    if (own instanceof DeviceOffline) {
                        session.child(childId).ifPresent(c -> childOffline(c, "reported offline by gateway " + session.deviceId()));
                        return CompletableFuture.completedFuture(null);
                    }
                    DeviceSession childSession = childOnline(session, childId, child.get().productId());
                    if (own instanceof DeviceOnline) {
                        return CompletableFuture.completedFuture(null);
                    }
                    return handle(childSession, own, raw);
                });
    }

    /** The sub-device's session on this gateway's connection, brought online now if it was not. */
    private DeviceSession childOnline(DeviceSession gateway, String childId, String productId) {
        Optional<DeviceSession> current = gateway.child(childId);
        if (current.isPresent()) {
            return current.get();
        }
        long now = System.currentTimeMillis();
        DeviceSession fresh = gateway.child(childId, productId, now);
        Optional<DeviceSession> present = gateway.adopt(fresh);
        if (present.isPresent()) {
            return present.get();
        }
        services.sessions().register(fresh).filter(old -> old != fresh).ifPresent(old -> old.close("taken over by gateway "
                + gateway.deviceId()));
        CompletableFuture<Void> state = services.devices().markOnline(childId, now);
        CompletableFuture<Void> logged = services.log().write(LogType.ONLINE, childId, productId, "online", "", "", "", "",
                "online through gateway " + gateway.deviceId() + " via " + id);
        DeviceOnline online = new DeviceOnline(MessageHeader.of("", productId, childId, now), services.devices().node(),
                "gateway " + gateway.deviceId());
        CompletableFuture.allOf(state, logged).thenRun(() -> services.events().publish(online));
        offerDelta(fresh); // through the gateway, which is connected (and subscribed) already
        return fresh;
    }

    /** Takes a sub-device's session offline (its gateway's connection stays). */
    void childOffline(DeviceSession child, String reason) {
        DeviceSession gateway = child.parent().orElseThrow();
        if (!gateway.release(child) || !services.sessions().remove(child)) {
            return;
        }
        offline(child, reason);
    }

    /** A gateway registers a sub-device; the answer goes to {@code /child/{childId}/register/reply}. */
    private CompletableFuture<Void> registerChild(DeviceSession session, RegisterRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            MessageHeader h = MessageHeader.of(request.messageId(), request.productId(), request.deviceId(), System.currentTimeMillis());
            try {
                services.topology().registerChild(session.deviceId(), request.deviceId(), request.productId());
                services.devices().logRegistered(request.productId(), request.deviceId(), request.messageId());
                return new RegisterReply(h, true, null, null, null);
            } catch (ThingportException e) {
                return new RegisterReply(h, false, e.code().wireName(), e.getMessage(), null);
            }
        }, services.workers()).thenCompose(reply -> services.sender().deliver(session, reply).exceptionally(e -> {
            LOG.debug("Gateway {}: could not answer the sub-device registration of {}: {}", id, request.deviceId(), e.toString());
            return null;
        }));
    }

    /** Answers a shadow request off the network thread; done once the answers are written (or could not be). */
    private CompletableFuture<Void> shadow(DeviceSession session, ShadowRequest request, EncodedMessage raw) {
        return CompletableFuture.supplyAsync(() -> services.shadows().answer(session, request, raw), services.workers())
                .thenCompose(replies -> {
                    CompletableFuture<Void> sent = CompletableFuture.completedFuture(null);
                    for (ShadowReply reply : replies) {
                        sent = sent.thenCompose(x -> services.sender().deliver(session, reply));
                    }
                    return sent.exceptionally(e -> {
                        LOG.debug("Gateway {}: could not answer the shadow request of {}: {}", id, session.deviceId(), e.toString());
                        return null;
                    });
                });
    }

    private CompletableFuture<Void> register(DeviceSession session, RegisterRequest request, EncodedMessage raw) {
        if (!session.registrationOnly()) {
            return services.pipeline().reject(session, raw, request.messageId(), ErrorCode.CONFLICT,
                    "device " + session.deviceId() + " is already registered");
        }
        return CompletableFuture.supplyAsync(() -> {
            MessageHeader h = new MessageHeader(request.messageId(), session.productId(), session.deviceId(),
                    System.currentTimeMillis(), Map.of());
            try {
                String secret = services.devices().register(session.productId(), session.deviceId());
                services.devices().logRegistered(session.productId(), session.deviceId(), request.messageId());
                return new RegisterReply(h, true, null, null, secret);
            } catch (ThingportException e) {
                return new RegisterReply(h, false, e.code().wireName(), e.getMessage(), null);
            }
        }, services.workers()).thenCompose(reply -> services.sender().deliver(session, reply)
                .whenComplete((ok, error) -> CompletableFuture.delayedExecutor(REGISTRATION_CLOSE_DELAY_MS, TimeUnit.MILLISECONDS,
                        services.workers()).execute(() -> session.connection().close(reply.success()
                        ? "registration complete" : "registration refused: " + reply.message()))));
    }

    @Override
    public void commandOutcome(TransportConnection connection, String messageId, boolean success, String code, String detail) {
        DeviceSession session = byConnection.get(connection);
        if (session != null && messageId != null && !messageId.isEmpty() && services.sender() != null) {
            services.sender().outcome(session.deviceId(), messageId, success, code, detail);
        }
    }

    @Override
    public boolean maySubscribe(TransportConnection connection, String topicFilter) {
        DeviceSession session = byConnection.get(connection);
        boolean allowed = session != null && codec().maySubscribe(topicFilter, session);
        if (allowed && !session.registrationOnly() && ShadowDeltas.covers(topicFilter, codec(), session)) {
            offerDelta(session); // written after the SUBACK: this runs before it, the push comes later from a worker
        }
        if (allowed && !session.registrationOnly() && coversCommands(topicFilter, session)) {
            flushQueue(session);
        }
        if (!allowed && session != null) {
            services.log().write(LogType.REJECTED, session.deviceId(), session.productId(), "subscribe", "", topicFilter, "", "",
                    "forbidden: subscription to " + topicFilter + " is outside the device's topics");
        }
        return allowed;
    }

    @Override
    public void disconnected(TransportConnection connection, String reason) {
        DeviceSession session = byConnection.remove(connection);
        if (session == null || session.registrationOnly()) {
            return;
        }
        for (DeviceSession child : session.children()) {
            childOffline(child, "gateway " + session.deviceId() + " went offline: " + reason);
        }
        if (services.sessions().remove(session)) {
            offline(session, reason);
        }
    }

    /** The device of a session that ended is offline: state, log, event. */
    private void offline(DeviceSession session, String reason) {
        services.sender().deviceWentOffline(session.deviceId());
        long now = System.currentTimeMillis();
        CompletableFuture<Void> state = services.devices().markOffline(session.deviceId(), now);
        CompletableFuture<Void> logged = services.log().write(LogType.OFFLINE, session.deviceId(), session.productId(),
                "offline", "", "", "", "", reason);
        DeviceOffline offline = new DeviceOffline(MessageHeader.of("", session.productId(), session.deviceId(), now), reason);
        CompletableFuture.allOf(state, logged).thenRun(() -> services.events().publish(offline));
    }
}
