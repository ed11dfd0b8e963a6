package io.thingport.core.internal.rules;

import io.thingport.api.device.CommandState;
import io.thingport.api.device.CommandTicket;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.device.NewDevice;
import io.thingport.api.message.DeviceCommand;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceReply;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.access.RecordingSystemLog;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import io.thingport.core.internal.registry.RegistryFixture;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The rule engine as the platform wires it, on a fresh database of the run's backend: the registry (product {@code p1}
 * with {@link RegistryFixture#MODEL}, devices {@code d1} and {@code d2}), the event bus, a CamelContext with the stream
 * component, a recording device-message sender. {@link #report} publishes a stored report as the pipeline does.
 */
final class RuleFixture implements AutoCloseable {
    final RegistryFixture registry = new RegistryFixture();
    final DeviceEventBusImpl events = new DeviceEventBusImpl();
    final CamelContext camel = new DefaultCamelContext();
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<DeviceCommand> commands = new CopyOnWriteArrayList<>();
    /** What the engine wrote to the system log. */
    final RecordingSystemLog systemLog = new RecordingSystemLog();
    volatile Function<DeviceCommand, CompletionStage<DeviceReply>> replies = c -> CompletableFuture.completedFuture(
            new WritePropertiesReply(MessageHeader.of(c.messageId(), "p1", c.deviceId(), 0), true, null, null, Map.of()));
    final FailedStore failed;
    RuleEngine engine;

    RuleFixture() {
        registry.product(false);
        registry.devices.createDevice(new NewDevice("d1", "p1", "one", null));
        registry.devices.createDevice(new NewDevice("d2", "p1", "two", null));
        camel.addComponent(StreamComponent.SCHEME, new StreamComponent(events));
        camel.start();
        failed = new FailedStore(registry.storage, 1_000);
        engine = newEngine();
        engine.startAll();
    }

    RuleEngine newEngine() {
        DeviceMessageSender sender = new DeviceMessageSender() {
            @Override
            public CommandTicket submit(DeviceCommand command, Duration timeout) {
                commands.add(command);
                return new CommandTicket(command.messageId(), CommandState.SENT, replies.apply(command));
            }

            @Override
            public String newMessageId() {
                return "m" + System.nanoTime();
            }
        };
        SinkContext sinks = new SinkContext() {
            @Override
            public CamelContext camel() {
                return camel;
            }

            @Override
            public DeviceMessageSender sender() {
                return sender;
            }

            @Override
            public HttpClient http() {
                return http;
            }

            @Override
            public Connection connect(DataSourceSpec database) throws SQLException {
                return DriverManager.getConnection(DriverConnector.driverUrl(database.setting("url")), database.setting("user"),
                        database.setting("password"));
            }
        };
        RuleRuntime.Environment env = new RuleRuntime.Environment(camel, sinks, failed, scheduler);
        RuleEngine.Platform platform = new RuleEngine.Platform() {
            @Override
            public Optional<ThingModel> productModel(String productId) {
                return registry.products.findProduct(productId).map(p -> p.thingModel());
            }

            @Override
            public Optional<ThingModel> deviceModel(String deviceId) {
                return registry.devices.findDevice(deviceId).flatMap(d -> registry.products.findProduct(d.productId()))
                        .map(p -> p.thingModel());
            }

            @Override
            public List<DeviceLogEntry> recentLog(String deviceId, int limit) {
                return registry.log.recent(deviceId, limit);
            }
        };
        return new RuleEngine(new RuleStore(registry.storage), failed, platform, env, System::currentTimeMillis, systemLog);
    }

    /** Stops the engine and starts a new one on the same database, as a platform restart does. */
    void restartEngine() {
        engine.stopAll();
        engine = newEngine();
        engine.startAll();
    }

    /** Publishes a report of {@code deviceId} (product p1) on the event topic. */
    void report(String deviceId, Map<String, Object> properties) {
        publish(new ReportProperties(MessageHeader.of("r" + System.nanoTime(), "p1", deviceId, System.currentTimeMillis()), properties));
    }

    void publish(DeviceMessage message) {
        events.publish(message);
    }

    @Override
    public void close() {
        engine.stopAll();
        camel.stop();
        scheduler.shutdownNow();
        registry.close();
    }
}
