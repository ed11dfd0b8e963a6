package io.thingport.bridge.onenet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thingport.api.ErrorCode;
import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.NewDevice;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.bridge.support.CloudConnection;
import io.thingport.bridge.support.CloudDevices;
import io.thingport.bridge.support.LogLimiter;
import io.thingport.bridge.support.PushAnswer;
import io.thingport.bridge.support.PushRejected;
import io.thingport.bridge.support.PushRequest;
import io.thingport.bridge.support.PushServer;
import io.thingport.bridge.support.RecentKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code onenet} component: the HTTP server OneNET pushes to (at {@link OneNetSettings#path()}), each OneNET
 * device a brokered connection of the platform ({@link CloudDevices}), all of product {@link OneNetSettings#product()}.
 *
 * <p>Requests on the push path:
 * <ul>
 *   <li>{@code GET ?msg&nonce&signature}: URL verification, answered 200 {@code text/plain} with exactly {@code msg};
 *       a bad signature is answered 401 (logged);</li>
 *   <li>{@code POST}: a push, checked and read by the mode's parser ({@link LegacyPushParser} or
 *       {@link StudioPushParser}); a rejected push ({@link PushRejected}) is answered its status (401 signature or
 *       decryption, 400 malformed, 413 too large), logged at WARN at most once a minute, and nothing of it is
 *       stored.</li>
 * </ul>
 *
 * <p>The messages of a push are handled in order; the device id on the platform is the legacy {@code dev_id} (its
 * decimal text) or the Studio {@code deviceName}:
 * <ul>
 *   <li>a legacy data point becomes the official frame {@code /{product}/{dev_id}/properties/report}
 *       {@code {"messageId":<dedupKey>,"timestamp":at,"properties":{ds_id:value}}}; a Studio property notification the
 *       same with every param (timestamp: the newest param time); a Studio event
 *       {@code /{product}/{deviceName}/event/{eventId}} with {@code data} = the event's value;</li>
 *   <li>a legacy status or Studio lifeCycle: online opens the device's connection, offline closes it;</li>
 *   <li>a legacy cached-command result (type 7) or a Studio reply reports a command outcome when its id is one this
 *       component sent a command for (a bounded memory); other ids are ignored.</li>
 * </ul>
 * A message whose dedup key was handled lately ({@link RecentKeys}) is skipped: OneNET retries a push not answered
 * 200. The push is answered 200 once every message is handled; when the platform is at its bound
 * ({@code UNAVAILABLE}) the push is answered 503 at once (OneNET sends it again; the messages handled before are
 * skipped then), and 500 when the platform could not store a message. A device the platform does not know is created
 * first with {@code autoRegister=true}; without, its messages are dropped (WARN, at most once a minute) and the push
 * is answered 200, as for any other refusal (the platform logs invalid values itself).
 *
 * <p>Downlinks (the platform's commands to a device) go to the OneNET Studio API, off the event loop on a bounded
 * executor of this component: {@code properties/write} as set-device-property, {@code function/invoke} as
 * call-service ({@code inputs} as a map name → value). OneNET answers synchronously: {@code code 0} reports the command
 * succeeded, any other code reports it failed (with the code and msg); a transport error fails the send.
 * {@code properties/read} is not supported; other downlinks ({@code error}, shadow replies ...) are dropped. In legacy
 * mode commands fail: OneNET legacy pushes have no command API here.
 */
public final class OneNetComponent implements NetworkComponent {
    private static final Logger LOG = LoggerFactory.getLogger(OneNetComponent.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String WRITE = "properties/write";
    private static final String INVOKE = "function/invoke";
    private static final String READ = "properties/read";
    /** The dedup keys remembered: OneNET Studio retries a push for about 2 h 45 min. */
    static final int RECENT_KEYS = 100_000;
    static final long RECENT_KEYS_TTL_MS = Duration.ofHours(4).toMillis();
    /** The commands whose OneNET id is remembered, for their device's asynchronous reply. */
    static final int SENT_COMMANDS = 10_000;
    static final int WORKERS = 4;
    static final int WORK_QUEUE = 1_000;
    static final long WARN_INTERVAL_MS = 60_000;
    private static final Duration API_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration API_TIMEOUT = Duration.ofSeconds(15);
    private static final int IDLE_SECONDS = 120;

    private final NetworkComponentConfig config;
    private final OneNetSettings settings;
    private final Supplier<Optional<DeviceService>> deviceService;
    private final Function<byte[], List<OneNetMessage>> parser;
    private final Optional<StudioApiRequests> requests;
    private final StudioApiSender sender;
    private final CloudDevices devices;
    private final RecentKeys recent = new RecentKeys(RECENT_KEYS, RECENT_KEYS_TTL_MS);
    private final Map<String, String> sentCommands = boundedMap(SENT_COMMANDS);
    private final LogLimiter warned = new LogLimiter(WARN_INTERVAL_MS, System::currentTimeMillis);
    private final ThreadPoolExecutor workers;
    private volatile PushServer server;

    private OneNetComponent(NetworkComponentConfig config, OneNetSettings settings, TransportListener listener,
                            Supplier<Optional<DeviceService>> deviceService) {
        this.config = config;
        this.settings = settings;
        this.deviceService = deviceService;
        OneNetConfig oneNet = settings.oneNet();
        PushLimits limits = new PushLimits(settings.maxBody(), PushLimits.DEFAULT.maxDepth(), PushLimits.DEFAULT.maxBatch());
        if (oneNet.mode() == OneNetConfig.Mode.LEGACY) {
            parser = new LegacyPushParser(oneNet.token(), oneNet.aesKey(), limits)::parse;
            requests = Optional.empty();
        } else {
            parser = new StudioPushParser(oneNet.token(), oneNet.aesKey(), limits)::parse;
            requests = oneNet.productId().isPresent() ? Optional.of(StudioApiRequests.of(oneNet)) : Optional.empty();
        }
        sender = StudioApiSender.create(API_CONNECT_TIMEOUT, API_TIMEOUT);
        URI api = oneNet.apiBaseUrl();
        InetSocketAddress cloud = InetSocketAddress.createUnresolved(api.getHost(), api.getPort() > 0 ? api.getPort()
                : "http".equalsIgnoreCase(api.getScheme()) ? 80 : 443);
        devices = new CloudDevices(config.id(), listener, cloud, this::downlink, settings.maxDevices());
        AtomicInteger threads = new AtomicInteger();
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(WORK_QUEUE), r -> {
            Thread t = new Thread(r, "onenet-" + config.id() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        workers.allowCoreThreadTimeOut(true);
    }

    /**
     * Starts a component: binds its push server.
     *
     * @param deviceService the platform's device service when there is one (for {@code autoRegister})
     */
    public static OneNetComponent start(NetworkComponentConfig config, OneNetSettings settings, TransportListener listener,
                                        Supplier<Optional<DeviceService>> deviceService) {
        OneNetComponent component = new OneNetComponent(config, settings, listener, deviceService);
        try {
            component.server = PushServer.start(config, new PushServer.Settings(settings.host(), settings.port(), settings.ioThreads(),
                    settings.maxBody(), IDLE_SECONDS), component::handle);
        } catch (RuntimeException e) {
            component.workers.shutdownNow();
            throw e;
        }
        LOG.info("Network component {}: {} on {}{} for product {}{}", config.id(), settings.oneNet(), component.server.boundAddress(),
                settings.path(), settings.product(), settings.autoRegister() ? " (unknown devices are created)" : "");
        return component;
    }

    @Override
    public NetworkComponentConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress boundAddress() {
        return server.boundAddress();
    }

    @Override
    public int connectionCount() {
        return devices.size();
    }

    @Override
    public String status() {
        return "OneNET " + settings.oneNet().mode().name().toLowerCase(Locale.ROOT) + " pushes on " + boundAddress() + settings.path()
                + ", " + devices.size() + " cloud device(s) online";
    }

    @Override
    public void close() {
        PushServer s = server;
        if (s != null) {
            s.close();
        }
        devices.close();
        for (Runnable r : workers.shutdownNow()) {
            if (r instanceof Work<?> w) {
                w.future.completeExceptionally(stopping());
            }
        }
    }

    // ---- pushes -------------------------------------------------------------------------------------------------

    CompletionStage<PushAnswer> handle(PushRequest request) {
        String path = request.path().length() > 1 && request.path().endsWith("/")
                ? request.path().substring(0, request.path().length() - 1) : request.path();
        if (!path.equals(settings.path())) {
            return CompletableFuture.completedFuture(PushAnswer.error(404, ErrorCode.NOT_FOUND.wireName(), "no push URL here"));
        }
        return switch (request.method()) {
            case "GET" -> CompletableFuture.completedFuture(verify(request));
            case "POST" -> push(request);
            default -> CompletableFuture.completedFuture(PushAnswer.error(405, ErrorCode.UNSUPPORTED.wireName(),
                    "only GET (URL verification) and POST (pushes)"));
        };
    }

    private PushAnswer verify(PushRequest request) {
        try {
            String msg = UrlVerification.answer(settings.oneNet().token(), request.query());
            LOG.info("Network component {}: OneNET URL verification from {} answered", config.id(), request.remoteAddress());
            return PushAnswer.text(200, msg);
        } catch (PushRejected e) {
            warn("verification", "Network component {}: OneNET URL verification from {} refused ({}): {}", config.id(),
                    request.remoteAddress(), e.httpStatus(), e.getMessage());
            return rejected(e);
        }
    }

    private CompletionStage<PushAnswer> push(PushRequest request) {
        List<OneNetMessage> messages;
        try {
            messages = parser.apply(request.body());
        } catch (PushRejected e) {
            warn("push", "Network component {}: OneNET push from {} refused ({}): {}", config.id(), request.remoteAddress(),
                    e.httpStatus(), e.getMessage());
            return CompletableFuture.completedFuture(rejected(e));
        }
        return process(messages, 0);
    }

    private static PushAnswer rejected(PushRejected e) {
        return PushAnswer.error(e.httpStatus(), e.code().wireName(), e.getMessage());
    }

    /** Handles the messages from {@code from} on, in order; stops at the first one the platform could not take. */
    private CompletableFuture<PushAnswer> process(List<OneNetMessage> messages, int from) {
        int i = from;
        while (i < messages.size()) {
            OneNetMessage message = messages.get(i++);
            String key = message.dedupKey();
            RecentKeys.Claim claim = recent.claim(key);
            if (claim == RecentKeys.Claim.STORED) {
                LOG.debug("Network component {}: message {} was handled already (a retried push)", config.id(), key);
                continue;
            }
            if (claim == RecentKeys.Claim.IN_FLIGHT) {
                // another copy of this push is being stored now: OneNET sends it again, and then it is skipped
                return CompletableFuture.completedFuture(PushAnswer.error(503, ErrorCode.UNAVAILABLE.wireName(),
                        "this push is being stored: send it again later"));
            }
            CompletableFuture<Void> done;
            try {
                done = message(message, key);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            if (done.isDone()) {
                Optional<PushAnswer> stop = settle(key, done.handle((ok, error) -> error).join());
                if (stop.isPresent()) {
                    return CompletableFuture.completedFuture(stop.get());
                }
            } else {
                int next = i;
                return done.handle((ok, error) -> settle(key, error))
                        .thenCompose(stop -> stop.map(CompletableFuture::completedFuture).orElseGet(() -> process(messages, next)));
            }
        }
        return CompletableFuture.completedFuture(PushAnswer.text(200, "ok"));
    }

    /**
     * What became of one message: empty to go on with the next one (it was handled, or refused for good), or the
     * answer that ends the push (the platform could not take it: OneNET sends the push again).
     */
    private Optional<PushAnswer> settle(String key, Throwable error) {
        if (error == null) {
            recent.stored(key);
            return Optional.empty();
        }
        Throwable cause = unwrap(error);
        ErrorCode code = cause instanceof ThingportException t ? t.code() : ErrorCode.INTERNAL;
        switch (code) {
            case UNAVAILABLE -> {
                recent.release(key);
                LOG.debug("Network component {}: the platform is busy, OneNET will send the push again: {}", config.id(),
                        cause.getMessage());
                return Optional.of(PushAnswer.error(503, code.wireName(), "the platform is busy: send the push again later"));
            }
            case INTERNAL, TIMEOUT -> {
                recent.release(key);
                warn("store", "Network component {}: a OneNET message could not be stored, the push will be sent again: {}",
                        config.id(), cause.toString());
                return Optional.of(PushAnswer.error(500, code.wireName(), "the push could not be stored: send it again"));
            }
            case NOT_FOUND -> warn("unknown", "Network component {}: dropped a OneNET message: {} (autoRegister={})", config.id(),
                    cause.getMessage(), settings.autoRegister());
            case MALFORMED, TOO_LARGE, FORBIDDEN, UNAUTHENTICATED, INVALID_ARGUMENT ->
                    warn("refused", "Network component {}: dropped a OneNET message: {}", config.id(), cause.getMessage());
            default -> LOG.debug("Network component {}: the platform refused a OneNET message: {}", config.id(), cause.getMessage());
        }
        recent.stored(key);
        return Optional.empty();
    }

    private CompletableFuture<Void> message(OneNetMessage message, String key) {
        String product = settings.product();
        if (message instanceof LegacyDataPoint d) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put(d.dsId(), d.value());
            return deliver(d.devId(), report(product, d.devId(), key, d.at(), properties));
        } else if (message instanceof LegacyDeviceStatus s) {
            return status(s.devId(), s.online(), "OneNET reported the device offline");
        } else if (message instanceof LegacyCommandResult c) {
            commandResult(c.devId(), c.cmdId(), true, null, null);
            return CompletableFuture.completedFuture(null);
        } else if (message instanceof StudioPropertyReport p) {
            String device = studioDevice(p.source());
            Map<String, Object> properties = new LinkedHashMap<>();
            long newest = Long.MIN_VALUE;
            for (Map.Entry<String, TimedValue> e : p.params().entrySet()) {
                properties.put(e.getKey(), e.getValue().value());
                if (e.getValue().time().isPresent()) {
                    newest = Math.max(newest, e.getValue().time().getAsLong());
                }
            }
            long at = newest == Long.MIN_VALUE ? System.currentTimeMillis() : newest;
            return deliver(device, report(product, device, key, at, properties));
        } else if (message instanceof StudioEvent e) {
            String device = studioDevice(e.source());
            if (!topicLevel(e.eventId())) {
                throw new ThingportException(ErrorCode.MALFORMED, "event id '" + e.eventId() + "' cannot be a topic level");
            }
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("messageId", key);
            frame.put("timestamp", e.time().isPresent() ? e.time().getAsLong() : System.currentTimeMillis());
            frame.put("data", e.value());
            return deliver(device, frame("/" + product + "/" + device + "/event/" + e.eventId(), frame));
        } else if (message instanceof StudioLifecycle l) {
            return status(studioDevice(l.source()), l.online(), "OneNET Studio reported the device offline");
        } else if (message instanceof StudioReply r) {
            String device = studioDevice(r.source());
            r.messageId().ifPresent(id -> commandResult(device, id, r.code() == 200, Integer.toString(r.code()),
                    r.message().orElse("the device replied code " + r.code())));
            return CompletableFuture.completedFuture(null);
        }
        throw new IllegalStateException("unexpected message " + message.getClass().getSimpleName());
    }

    private static EncodedMessage report(String product, String device, String key, long at, Map<String, Object> properties) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("messageId", key);
        frame.put("timestamp", at);
        frame.put("properties", properties);
        return frame("/" + product + "/" + device + "/properties/report", frame);
    }

    private static EncodedMessage frame(String topic, Map<String, Object> payload) {
        try {
            return new EncodedMessage(topic, MAPPER.writeValueAsBytes(payload), Map.of());
        } catch (JsonProcessingException e) {
            throw new ThingportException(ErrorCode.MALFORMED, "the message cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** The Studio device's id on the platform: its deviceName. */
    private String studioDevice(StudioSource source) {
        Optional<String> own = settings.oneNet().productId();
        // a deviceName is unique within its OneNET product only: with a productId configured, a message must name it
        if (own.isPresent() && !own.equals(source.productId())) {
            String named = source.productId().map(p -> "'" + p.replaceAll("[^\\x20-\\x7e]", "?") + "'").orElse("(none named)");
            throw new ThingportException(ErrorCode.FORBIDDEN, "the push is for OneNET product " + named + ", not " + own.get());
        }
        String name = source.deviceName().orElseThrow(() -> new ThingportException(ErrorCode.MALFORMED,
                "the Studio message has no deviceName"));
        if (name.length() > Identifiers.MAX_ID_LENGTH || !Identifiers.OBJECT_ID.matcher(name).matches()) {
            throw new ThingportException(ErrorCode.MALFORMED, "deviceName '" + name + "' is not a valid device id");
        }
        return name;
    }

    private static boolean topicLevel(String level) {
        return !level.isEmpty() && level.chars().noneMatch(ch -> ch == '/' || ch == '+' || ch == '#' || Character.isISOControl(ch));
    }

    private CompletableFuture<Void> deliver(String device, EncodedMessage message) {
        return orRegister(device, () -> devices.deliver(settings.product(), device, message));
    }

    private CompletableFuture<Void> status(String device, boolean online, String reason) {
        if (!online) {
            return devices.offline(settings.product(), device, reason).toCompletableFuture();
        }
        return orRegister(device, () -> devices.online(settings.product(), device));
    }

    /** Runs {@code action}; when the device is unknown and {@code autoRegister} is on, creates it and runs it again. */
    private CompletableFuture<Void> orRegister(String device, Supplier<CompletionStage<Void>> action) {
        CompletableFuture<Void> first = action.get().toCompletableFuture();
        if (!settings.autoRegister()) {
            return first;
        }
        return first.exceptionallyCompose(error -> unwrap(error) instanceof ThingportException t && t.code() == ErrorCode.NOT_FOUND
                ? register(device, error).thenCompose(v -> action.get())
                : CompletableFuture.failedFuture(error));
    }

    private CompletableFuture<Void> register(String device, Throwable unknown) {
        return offload(() -> {
            DeviceService service = deviceService.get().orElseThrow(() -> new ThingportException(ErrorCode.NOT_FOUND,
                    unwrap(unknown).getMessage() + " (it cannot be created: the device service is not available)"));
            try {
                service.createDevice(new NewDevice(device, settings.product(), null, null));
                LOG.info("Network component {}: created device {} of product {} (autoRegister)", config.id(), device, settings.product());
            } catch (ThingportException e) {
                if (e.code() != ErrorCode.CONFLICT) {
                    throw e;
                }
            }
            return null;
        });
    }

    private void commandResult(String device, String oneNetId, boolean success, String code, String detail) {
        String ours = sentCommands.remove(device + '\n' + oneNetId);
        if (ours == null) {
            LOG.debug("Network component {}: no command of device {} has OneNET id {}", config.id(), device, oneNetId);
            return;
        }
        devices.outcome(settings.product(), device, ours, success, success ? null : code, success ? null : detail);
    }

    // ---- downlinks ----------------------------------------------------------------------------------------------

    private CompletionStage<Void> downlink(CloudConnection connection, EncodedMessage message) {
        String type = message.headers().getOrDefault(EncodedMessage.MESSAGE_TYPE, "");
        String messageId = message.headers().getOrDefault(EncodedMessage.MESSAGE_ID, "");
        if (!type.equals(WRITE) && !type.equals(INVOKE) && !type.equals(READ)) {
            LOG.debug("Network component {}: dropped downlink {} ({}) to {}: only commands go to OneNET", config.id(), messageId,
                    type.isEmpty() ? "no type" : type, connection.deviceId());
            return CompletableFuture.completedFuture(null);
        }
        if (settings.oneNet().mode() == OneNetConfig.Mode.LEGACY) {
            return unsupported("OneNET legacy pushes have no command API here: use mode=studio");
        }
        if (type.equals(READ)) {
            return unsupported("properties/read is not supported by the OneNET bridge (OneNET Studio pushes property values)");
        }
        if (requests.isEmpty()) {
            return unsupported("network component " + config.id() + " has no OneNET 'productId' and 'accessKey': commands cannot be sent");
        }
        String device = connection.deviceId();
        ApiRequest request;
        try {
            request = type.equals(WRITE) ? write(device, message.payload()) : invoke(device, message.payload());
        } catch (ThingportException e) {
            return CompletableFuture.failedFuture(e);
        }
        return offload(() -> sender.send(request)).thenAccept(result -> {
            if (result.success()) {
                if (!messageId.isEmpty()) {
                    oneNetId(result).ifPresent(id -> sentCommands.put(device + '\n' + id, messageId));
                    devices.outcome(settings.product(), device, messageId, true, null, null);
                }
            } else {
                LOG.info("Network component {}: OneNET refused command {} to {}: {}", config.id(), messageId, device, result.describe());
                if (!messageId.isEmpty()) {
                    devices.outcome(settings.product(), device, messageId, false, Integer.toString(result.code()),
                            "OneNET API: " + result.describe());
                }
            }
        });
    }

    private ApiRequest write(String device, byte[] payload) {
        JsonNode properties = json(payload).path("properties");
        if (!properties.isObject()) {
            throw new ThingportException(ErrorCode.MALFORMED, "a properties/write downlink has no 'properties' object");
        }
        return requests.orElseThrow().setDeviceProperty(device, MAPPER.convertValue(properties, Map.class), Instant.now());
    }

    private ApiRequest invoke(String device, byte[] payload) {
        JsonNode root = json(payload);
        JsonNode functionId = root.path("functionId");
        if (!functionId.isTextual()) {
            throw new ThingportException(ErrorCode.MALFORMED, "a function/invoke downlink has no 'functionId'");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (JsonNode input : root.path("inputs")) {
            if (!input.path("name").isTextual()) {
                throw new ThingportException(ErrorCode.MALFORMED, "a function/invoke input has no 'name'");
            }
            params.put(input.path("name").textValue(), MAPPER.convertValue(input.get("value"), Object.class));
        }
        return requests.orElseThrow().callService(device, functionId.textValue(), params, Instant.now());
    }

    private static JsonNode json(byte[] payload) {
        try {
            JsonNode root = MAPPER.readTree(payload);
            if (root == null || !root.isObject()) {
                throw new ThingportException(ErrorCode.MALFORMED, "the downlink is not a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new ThingportException(ErrorCode.MALFORMED, "the downlink is not JSON");
        }
    }

    /** OneNET's id of a sent command ({@code data.id} of the API answer), if it gave one. */
    private static Optional<String> oneNetId(ApiResult result) {
        return result.data() instanceof Map<?, ?> data && data.get("id") != null ? Optional.of(data.get("id").toString())
                : Optional.empty();
    }

    private static CompletableFuture<Void> unsupported(String message) {
        return CompletableFuture.failedFuture(new ThingportException(ErrorCode.UNSUPPORTED, message));
    }

    // ---- support ------------------------------------------------------------------------------------------------

    /** Runs blocking work on the component's bounded executor; a full queue fails the stage with {@code UNAVAILABLE}. */
    private <T> CompletableFuture<T> offload(Supplier<T> work) {
        Work<T> task = new Work<>(work);
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            task.future.completeExceptionally(workers.isShutdown() ? stopping()
                    : new ThingportException(ErrorCode.UNAVAILABLE, "network component " + config.id() + " has "
                    + WORK_QUEUE + " OneNET calls waiting, the most allowed"));
        }
        return task.future;
    }

    private ThingportException stopping() {
        return new ThingportException(ErrorCode.UNAVAILABLE, "network component " + config.id() + " is stopping");
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Logs at WARN at most once per {@link #WARN_INTERVAL_MS} per kind ({@link LogLimiter}), else at DEBUG. */
    private void warn(String kind, String format, Object... args) {
        if (warned.allow(kind) >= 0) {
            LOG.warn(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    private static final class Work<T> implements Runnable {
        private final Supplier<T> work;
        private final CompletableFuture<T> future = new CompletableFuture<>();

        Work(Supplier<T> work) {
            this.work = work;
        }

        @Override
        public void run() {
            try {
                future.complete(work.get());
            } catch (RuntimeException | LinkageError e) {
                future.completeExceptionally(e);
            }
        }
    }

    /** A map that forgets its oldest entry past its capacity. Thread-safe. */
    private static <K, V> Map<K, V> boundedMap(int capacity) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        });
    }
}
