package io.thingport.bridge.ctwing;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code ctwing} component: the HTTP server CTWing pushes to, and the CTWing devices as brokered connections
 * of the platform ({@link CloudDevices}).
 *
 * <p><b>Pushes.</b> Only {@code POST /ctwing/<pushToken>} is served: a missing or wrong token is answered 401 (and
 * logged at WARN, at most once a minute), another path 404, another method 405, a body that does not parse 400 (413
 * when too large). The messages of a push (one, or the reports of a {@code dataReportTupUnion} batch, in order) are
 * handled one after the other; the device id on the platform is CTWing's {@code deviceId}:
 * <ul>
 *   <li>{@code dataReport}: skipped when its {@link CtwingMessage#dedupKey() dedup key} was stored lately; in
 *       {@code transparent} mode the device's bytes go to the platform with an empty topic (the custom protocol's codec
 *       decodes them); in {@code thing-model} mode an official {@code /{product}/{device}/properties/report} frame with
 *       the dedup key as {@code messageId} and CTWing's timestamp.</li>
 *   <li>{@code eventReport}: in {@code thing-model} mode an official {@code /{product}/{device}/event/{eventId}} frame
 *       ({@code data} = the event's content, {@code level} = info/warning/fault beside it; the event id is CTWing's
 *       {@code serviceId} when it is a thing-model identifier, else {@code event_<serviceId>}, else {@code event});
 *       in {@code transparent} mode it is ignored (DEBUG): a transparent product has no thing-model events.</li>
 *   <li>{@code deviceOnlineOfflineReport}: online opens the device's connection (it goes online), offline closes it.</li>
 *   <li>{@code commandResponse}: for a command this component sent (CTWing's {@code taskId} is taken to be the
 *       {@code commandId} the create-command API answered: <i>unverified</i>), SUCCESSFUL completes the platform's
 *       command, FAILED fails it (code {@code FAILED}, the result detail); SENT and DELIVERED change nothing.</li>
 * </ul>
 * A push is answered 200 {@code {"code":0}} once each message was stored or refused for good (an unknown device
 * without {@code autoRegister}, a disabled one, an invalid value, which the platform logs itself): a retry could not
 * help. It is answered 503 when the platform pushed back (or could not store a message): CTWing pushes it again, and
 * the messages already stored are skipped then. Messages of another CTWing product than {@code productId} are
 * ignored (WARN, at most once a minute).
 *
 * <p><b>Commands.</b> Downlinks of type {@code properties/write}, {@code properties/read} and {@code function/invoke}
 * ({@link EncodedMessage#MESSAGE_TYPE}) go to the CTWing create-command API, off the event loop (a few threads of this
 * component, at most {@value #API_QUEUE} calls waiting): in {@code transparent} mode the encoded bytes as hex (or as
 * UTF-8 text with {@code payloadDataType = string}), in {@code thing-model} mode the official JSON text as a string
 * payload (<i>unverified</i>: what CTWing expects of a thing-model product's command content). The send completes
 * when CTWing accepted the command and fails with CTWing's refusal otherwise. Other downlinks ({@code error} replies,
 * shadow documents, ...) are dropped (DEBUG).
 */
public final class CtwingComponent implements NetworkComponent {
    private static final Logger LOG = LoggerFactory.getLogger(CtwingComponent.class);

    /** The path prefix of the push URL; the push token follows. */
    public static final String PUSH_PREFIX = "/ctwing/";
    /** Downlink types that are commands for CTWing. */
    public static final Set<String> COMMAND_TYPES = Set.of("properties/write", "properties/read", "function/invoke");
    /** Dedup keys of stored messages remembered ({@link RecentKeys}), and for how long. */
    static final int RECENT_KEYS = 20_000;
    static final long RECENT_KEYS_TTL_MILLIS = TimeUnit.HOURS.toMillis(6);
    /** Commands whose result CTWing may still push; the oldest are forgotten first. */
    static final int MAX_PENDING_COMMANDS = 10_000;
    static final int API_THREADS = 4;
    static final int API_QUEUE = 1_000;
    static final long WARN_INTERVAL_MILLIS = 60_000;
    private static final int MAX_MESSAGE_ID = 64;
    private static final byte[] OK_BODY = "{\"code\":0}".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What became of one message of a push. */
    private enum Result {
        /** The platform stored it (or took the report). */
        STORED,
        /** Not stored, for good: retrying cannot help. */
        SKIPPED,
        /** Not stored for now: answer 503, CTWing pushes again. */
        RETRY
    }

    /** A command sent to CTWing whose result may come in a {@code commandResponse}. */
    /** Command results kept while the command's id is not known yet ({@link #early}). */
    static final int MAX_EARLY_RESULTS = 1000;

    private record Pending(String deviceId, String messageId) {
    }

    private final NetworkComponentConfig config;
    private final CtwingSettings settings;
    private final Supplier<DeviceService> deviceService;
    private final CtwingApiClient api;
    private final CloudDevices devices;
    private final RecentKeys recent = new RecentKeys(RECENT_KEYS, RECENT_KEYS_TTL_MILLIS);
    private final LogLimiter warnings = new LogLimiter(WARN_INTERVAL_MILLIS, System::currentTimeMillis);
    private final ThreadPoolExecutor executor;
    private final Map<String, Pending> pending = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
            return size() > MAX_PENDING_COMMANDS;
        }
    };
    /**
     * Final command results that came before CTWing's answer to the command's creation was read (CTWing may push at
     * once): applied when the command's id becomes known. Bounded: the oldest go first.
     */
    private final Map<String, CommandResponse> early = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CommandResponse> eldest) {
            return size() > MAX_EARLY_RESULTS;
        }
    };
    private final String ctwingProduct;
    private volatile PushServer server;

    private CtwingComponent(NetworkComponentConfig config, CtwingSettings settings, TransportListener listener,
                            Supplier<DeviceService> deviceService) {
        this.config = config;
        this.settings = settings;
        this.deviceService = deviceService;
        this.api = new CtwingApiClient(settings.bridge());
        this.ctwingProduct = Long.toString(settings.bridge().productId());
        URI base = settings.bridge().apiBaseUrl();
        int cloudPort = base.getPort() >= 0 ? base.getPort() : "http".equalsIgnoreCase(base.getScheme()) ? 80 : 443;
        this.devices = new CloudDevices(config.id(), listener, InetSocketAddress.createUnresolved(base.getHost(), cloudPort), this::send,
                settings.maxDevices());
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(API_THREADS, API_THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(API_QUEUE), r -> {
            Thread t = new Thread(r, "ctwing-" + config.id() + "-api-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /** Starts a component: binds its push server ({@code CONFLICT} naming the address when the port is in use). */
    public static CtwingComponent start(NetworkComponentConfig config, CtwingSettings settings, TransportListener listener,
                                        Supplier<DeviceService> deviceService) {
        CtwingComponent component = new CtwingComponent(config, settings, listener, deviceService);
        try {
            component.server = PushServer.start(config, new PushServer.Settings(settings.host(), settings.port(), settings.ioThreads(),
                    settings.maxBody(), settings.idleTimeout()), component::handle);
        } catch (RuntimeException e) {
            component.executor.shutdownNow();
            throw e;
        }
        LOG.info("Network component {}: CTWing push server listening on {} (push URL path /ctwing/<pushToken>) for product {}, "
                + "payload {}, {}", config.id(), component.boundAddress(), settings.product(), settings.payload().key(),
                settings.bridge().describe());
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
        int waiting;
        synchronized (pending) {
            waiting = pending.size();
        }
        return "listening on " + boundAddress() + " for CTWing pushes (product " + settings.product() + ", payload "
                + settings.payload().key() + "); " + devices.size() + " devices online; " + waiting + " commands awaiting their result";
    }

    @Override
    public void close() {
        PushServer s = server;
        if (s != null) {
            s.close();
        }
        devices.close();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                stopNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopNow();
        }
    }

    private void stopNow() {
        for (Runnable r : executor.shutdownNow()) {
            if (r instanceof ApiTask<?> task) {
                task.future.completeExceptionally(unavailable("network component " + config.id() + " stopped"));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- pushes

    /** The push handler (on the server's event loop: never blocks). */
    CompletionStage<PushAnswer> handle(PushRequest request) {
        String path = request.path();
        if (!path.equals("/ctwing") && !path.startsWith(PUSH_PREFIX)) {
            return CompletableFuture.completedFuture(PushAnswer.error(404, "not_found", "no such path: pushes go to /ctwing/<pushToken>"));
        }
        if (!"POST".equals(request.method())) {
            return CompletableFuture.completedFuture(PushAnswer.error(405, "method_not_allowed", "pushes are POST requests"));
        }
        String presented = path.startsWith(PUSH_PREFIX) ? path.substring(PUSH_PREFIX.length()) : "";
        if (!PushToken.matches(settings.pushToken(), presented)) {
            long skipped = warnings.allow("token");
            if (skipped >= 0) {
                LOG.warn("Network component {}: a push from {} presented a missing or wrong push token and was answered 401 "
                        + "({} more since the last such warning)", config.id(), request.remoteAddress(), skipped);
            }
            return CompletableFuture.completedFuture(PushAnswer.error(401, ErrorCode.UNAUTHENTICATED.wireName(),
                    "missing or wrong push token"));
        }
        CtwingMessage message;
        try {
            message = CtwingPushParser.parse(request.body());
        } catch (PushRejected e) {
            long skipped = warnings.allow("rejected");
            if (skipped >= 0) {
                LOG.warn("Network component {}: a push from {} was refused ({}): {} ({} more since the last such warning)", config.id(),
                        request.remoteAddress(), e.code().httpStatus(), e.getMessage(), skipped);
            }
            return CompletableFuture.completedFuture(PushAnswer.error(e.code().httpStatus(), e.code().wireName(), e.getMessage()));
        }
        List<CtwingMessage> messages = message instanceof DataReportBatch batch ? new ArrayList<>(batch.reports()) : List.of(message);
        CompletableFuture<Result> chain = CompletableFuture.completedFuture(Result.STORED);
        for (CtwingMessage m : messages) {
            chain = chain.thenCompose(previous -> previous == Result.RETRY ? CompletableFuture.completedFuture(previous) : safely(m));
        }
        return chain.thenApply(last -> last == Result.RETRY
                ? PushAnswer.error(503, ErrorCode.UNAVAILABLE.wireName(), "the platform is busy: push again later")
                : new PushAnswer(200, "application/json", OK_BODY));
    }

    private CompletableFuture<Result> safely(CtwingMessage message) {
        try {
            return handleMessage(message).toCompletableFuture();
        } catch (RuntimeException e) {
            LOG.warn("Network component {}: a CTWing {} could not be handled: {}", config.id(), message.messageType(), e.toString());
            return CompletableFuture.completedFuture(Result.RETRY);
        }
    }

    private CompletionStage<Result> handleMessage(CtwingMessage message) {
        if (!message.productId().equals(ctwingProduct)) {
            // a push must name the product: device ids are CTWing's, and another product's could name one of ours
            warn("product", "a CTWing {} of CTWing product '{}' was ignored: this component serves CTWing product {}",
                    message.messageType(), PushFields.echo(message.productId()), ctwingProduct);
            return done(Result.SKIPPED);
        }
        if (message instanceof DataReport report) {
            return dataReport(report);
        }
        if (message instanceof EventReport event) {
            return eventReport(event);
        }
        if (message instanceof DeviceStatusReport status) {
            return statusReport(status);
        }
        if (message instanceof CommandResponse response) {
            return commandResponse(response);
        }
        LOG.debug("Network component {}: CTWing {} ignored", config.id(), message.messageType());
        return done(Result.SKIPPED);
    }

    private CompletionStage<Result> dataReport(DataReport report) {
        String key = report.dedupKey();
        if (recent.seen(key)) {
            LOG.debug("Network component {}: data report {} of {} was stored already", config.id(), key, report.deviceId());
            return done(Result.SKIPPED);
        }
        if (!validDevice(report.deviceId(), report.messageType())) {
            return done(Result.SKIPPED);
        }
        EncodedMessage message;
        if (settings.payload() == CtwingSettings.PayloadMode.TRANSPARENT) {
            if (!(report.payload() instanceof ReportPayload.Transparent transparent)) {
                warn("mode", "a data report of CTWing device {} carries a thing-model payload but this component has payload = "
                        + "transparent: dropped", report.deviceId());
                return done(Result.SKIPPED);
            }
            message = new EncodedMessage("", transparent.bytes(), Map.of());
        } else {
            if (!(report.payload() instanceof ReportPayload.ThingModel model)) {
                warn("mode", "a data report of CTWing device {} carries transparent bytes (APPdata) but this component has payload = "
                        + "thing-model: dropped", report.deviceId());
                return done(Result.SKIPPED);
            }
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("messageId", messageId(key));
            frame.put("timestamp", report.timestamp());
            frame.put("properties", model.values());
            message = new EncodedMessage(topic(report.deviceId(), "properties/report"), json(frame), Map.of());
        }
        return deliver(report.deviceId(), message, key, "data report");
    }

    private CompletionStage<Result> eventReport(EventReport event) {
        if (settings.payload() == CtwingSettings.PayloadMode.TRANSPARENT) {
            LOG.debug("Network component {}: event report of CTWing device {} ignored (payload = transparent)", config.id(),
                    event.deviceId());
            return done(Result.SKIPPED);
        }
        String key = event.dedupKey();
        if (recent.seen(key)) {
            LOG.debug("Network component {}: event report {} of {} was stored already", config.id(), key, event.deviceId());
            return done(Result.SKIPPED);
        }
        if (!validDevice(event.deviceId(), event.messageType())) {
            return done(Result.SKIPPED);
        }
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("messageId", messageId(key));
        frame.put("timestamp", event.timestamp());
        frame.put("data", event.eventContent());
        frame.put("level", event.level().name().toLowerCase(Locale.ROOT));
        EncodedMessage message = new EncodedMessage(topic(event.deviceId(), "event/" + eventId(event.serviceId())), json(frame), Map.of());
        return deliver(event.deviceId(), message, key, "event report");
    }

    private CompletionStage<Result> statusReport(DeviceStatusReport status) {
        if (!validDevice(status.deviceId(), status.messageType())) {
            return done(Result.SKIPPED);
        }
        if (status.status() == DeviceStatus.OFFLINE) {
            return run(status.deviceId(), "offline report", () -> devices.offline(settings.product(), status.deviceId(),
                    "CTWing reported the device offline"), false);
        }
        return run(status.deviceId(), "online report", () -> devices.online(settings.product(), status.deviceId()), true);
    }

    private CompletionStage<Result> commandResponse(CommandResponse response) {
        if (response.resultCode() == CommandResultCode.SENT || response.resultCode() == CommandResultCode.DELIVERED) {
            LOG.debug("Network component {}: CTWing command {} of device {} is {}", config.id(), response.taskId(), response.deviceId(),
                    response.resultCode());
            return done(Result.SKIPPED);
        }
        String commandId = Long.toString(response.taskId());
        // CTWing's ids may be counters per device or product: the device is part of the key
        String commandKey = response.deviceId() + '\n' + commandId;
        Pending command;
        synchronized (pending) {
            command = pending.get(commandKey);
        }
        if (command == null) {
            LOG.debug("Network component {}: CTWing command {} of device {} ({}) is not known (yet): kept for when it is",
                    config.id(), commandId, response.deviceId(), response.resultCode());
            synchronized (pending) {
                early.put(commandKey, response);
            }
            return done(Result.SKIPPED);
        }
        boolean success = response.resultCode() == CommandResultCode.SUCCESSFUL;
        String detail = success ? "" : response.resultDetail().isEmpty() ? "CTWing reported the command FAILED" : response.resultDetail();
        return run(response.deviceId(), "command result", () -> devices.connection(settings.product(), response.deviceId())
                .thenAccept(c -> devices.outcome(settings.product(), response.deviceId(), command.messageId(), success,
                        success ? "" : CommandResultCode.FAILED.name(), detail)), false)
                .thenApply(result -> {
                    if (result != Result.RETRY) {
                        synchronized (pending) {
                            pending.remove(commandKey);
                        }
                    }
                    return result;
                });
    }

    private CompletionStage<Result> deliver(String deviceId, EncodedMessage message, String key, String what) {
        switch (recent.claim(key)) {
            case STORED -> {
                return done(Result.SKIPPED);
            }
            case IN_FLIGHT -> {
                // another copy of this push is being stored now: CTWing sends it again, and then it is skipped
                return done(Result.RETRY);
            }
            default -> {
            }
        }
        return run(deviceId, what, () -> devices.deliver(settings.product(), deviceId, message), true).whenComplete((result, e) -> {
            if (result == Result.STORED) {
                recent.stored(key);
            } else {
                recent.release(key);
            }
        });
    }

    /**
     * Runs {@code action} for a device and says what became of it; an unknown device is created first when
     * {@code autoRegister} is on (once: {@code mayRegister}).
     */
    private CompletionStage<Result> run(String deviceId, String what, Supplier<CompletionStage<?>> action, boolean mayRegister) {
        CompletionStage<?> stage;
        try {
            stage = action.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((ok, error) -> {
            if (error == null) {
                return done(Result.STORED);
            }
            Throwable cause = unwrap(error);
            if (mayRegister && settings.autoRegister() && code(cause) == ErrorCode.NOT_FOUND) {
                return register(deviceId).handle((created, failure) -> failure == null
                        ? run(deviceId, what, action, false)
                        : done(classify(deviceId, what + " (registering the device)", unwrap(failure))))
                        .thenCompose(Function.identity());
            }
            return done(classify(deviceId, what, cause));
        }).thenCompose(Function.identity());
    }

    private CompletionStage<Void> register(String deviceId) {
        DeviceService service = deviceService.get();
        if (service == null) {
            return CompletableFuture.failedFuture(unavailable("autoRegister is on but the device service is not available"));
        }
        return submit(() -> {
            try {
                service.createDevice(new NewDevice(deviceId, settings.product(), null, null));
                LOG.info("Network component {}: CTWing device {} registered in product {} (autoRegister)", config.id(), deviceId,
                        settings.product());
            } catch (ThingportException e) {
                if (e.code() != ErrorCode.CONFLICT) {
                    throw e;
                }
                LOG.debug("Network component {}: device {} exists already: {}", config.id(), deviceId, e.getMessage());
            }
            return null;
        });
    }

    private Result classify(String deviceId, String what, Throwable cause) {
        ErrorCode code = code(cause);
        switch (code) {
            case UNAVAILABLE -> {
                warn("busy", "the {} of CTWing device {} was not taken ({}): answered 503, CTWing pushes it again", what, deviceId,
                        cause.getMessage());
                return Result.RETRY;
            }
            case NOT_FOUND -> {
                warn("unknown", "CTWing device {} is not a device of product {} (create it, or set autoRegister = true): its {} was "
                        + "dropped", deviceId, settings.product(), what);
                return Result.SKIPPED;
            }
            case INTERNAL, TIMEOUT, RATE_LIMITED -> {
                warn("failed", "the {} of CTWing device {} could not be stored ({}): answered 503, CTWing pushes it again", what,
                        deviceId, cause.toString());
                return Result.RETRY;
            }
            default -> {
                warn("refused", "the {} of CTWing device {} was refused: {}", what, deviceId, cause.getMessage());
                return Result.SKIPPED;
            }
        }
    }

    private boolean validDevice(String deviceId, String messageType) {
        if (deviceId.length() <= Identifiers.MAX_ID_LENGTH && Identifiers.OBJECT_ID.matcher(deviceId).matches()) {
            return true;
        }
        warn("device-id", "a CTWing {} names device '{}', which is not a valid device id of the platform: dropped", messageType,
                PushFields.echo(deviceId));
        return false;
    }

    private String topic(String deviceId, String suffix) {
        return "/" + settings.product() + "/" + deviceId + "/" + suffix;
    }

    /** The event id of an event report: CTWing's serviceId when it is a thing-model identifier, else {@code event_<id>}. */
    static String eventId(String serviceId) {
        if (serviceId.isEmpty()) {
            return "event";
        }
        for (String candidate : List.of(serviceId, "event_" + serviceId)) {
            if (candidate.length() <= Identifiers.MAX_ID_LENGTH && Identifiers.THING_MODEL_ID.matcher(candidate).matches()) {
                return candidate;
            }
        }
        return "event";
    }

    private static String messageId(String key) {
        return key.length() <= MAX_MESSAGE_ID ? key : key.substring(0, MAX_MESSAGE_ID);
    }

    private void warn(String category, String format, Object... args) {
        long skipped = warnings.allow(category);
        if (skipped >= 0) {
            Object[] all = new Object[args.length + 2];
            all[0] = config.id();
            System.arraycopy(args, 0, all, 1, args.length);
            all[all.length - 1] = skipped;
            LOG.warn("Network component {}: " + format + " ({} more such warnings since the last one)", all);
        }
    }

    // -------------------------------------------------------------------------------------------------- commands

    /** The downlinks of one device ({@link CloudDevices.Downlinks}). */
    private CompletionStage<Void> send(CloudConnection connection, EncodedMessage message) {
        String type = message.headers().getOrDefault(EncodedMessage.MESSAGE_TYPE, "");
        if (!COMMAND_TYPES.contains(type)) {
            LOG.debug("Network component {}: downlink '{}' to CTWing device {} is not a command: not sent to CTWing", config.id(), type,
                    connection.deviceId());
            return CompletableFuture.completedFuture(null);
        }
        CommandPayload payload;
        try {
            payload = commandPayload(message);
        } catch (ThingportException e) {
            return CompletableFuture.failedFuture(new ThingportException(e.code(), "the command for CTWing device "
                    + connection.deviceId() + " cannot be sent: " + e.getMessage(), e));
        }
        String messageId = message.headers().getOrDefault(EncodedMessage.MESSAGE_ID, "");
        String deviceId = connection.deviceId();
        return submit(() -> api.sendCommand(deviceId, payload)).thenAccept(info -> {
            if (!messageId.isEmpty()) {
                CommandResponse before;
                synchronized (pending) {
                    pending.put(deviceId + '\n' + info.commandId(), new Pending(deviceId, messageId));
                    before = early.remove(deviceId + '\n' + info.commandId());
                }
                if (before != null) {
                    commandResponse(before);
                }
            }
            LOG.debug("Network component {}: command {} ({}) for device {} accepted by CTWing as {}", config.id(), messageId, type,
                    deviceId, info.commandId());
        });
    }

    private CommandPayload commandPayload(EncodedMessage message) {
        if (settings.payload() == CtwingSettings.PayloadMode.THING_MODEL) {
            return CommandPayload.text(message.payloadAsText());
        }
        return settings.bridge().payloadDataType() == PayloadDataType.STRING
                ? CommandPayload.text(message.payloadAsText())
                : CommandPayload.hex(message.payload());
    }

    /** Runs blocking work (an API call, a registration) on the component's threads. */
    private <T> CompletableFuture<T> submit(Callable<T> work) {
        ApiTask<T> task = new ApiTask<>(work);
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(unavailable(executor.isShutdown()
                    ? "network component " + config.id() + " is stopping"
                    : "network component " + config.id() + " has " + API_QUEUE + " CTWing API calls waiting already"));
        }
        return task.future;
    }

    private static final class ApiTask<T> implements Runnable {
        private final Callable<T> work;
        private final CompletableFuture<T> future = new CompletableFuture<>();

        ApiTask(Callable<T> work) {
            this.work = work;
        }

        @Override
        public void run() {
            try {
                future.complete(work.call());
            } catch (Exception | LinkageError e) {
                future.completeExceptionally(e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------ util

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static ThingportException unavailable(String message) {
        return new ThingportException(ErrorCode.UNAVAILABLE, message);
    }

    private static ErrorCode code(Throwable error) {
        return error instanceof ThingportException e ? e.code() : ErrorCode.INTERNAL;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static byte[] json(Map<String, Object> frame) {
        try {
            return JSON.writeValueAsBytes(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an official frame could not be written", e);
        }
    }
}
