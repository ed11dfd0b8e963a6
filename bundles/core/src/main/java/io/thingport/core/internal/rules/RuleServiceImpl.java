package io.thingport.core.internal.rules;

import io.thingport.api.access.SystemLogService;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.device.Product;
import io.thingport.api.model.ThingModel;
import io.thingport.api.rule.DataSourceInfo;
import io.thingport.api.rule.DryRunResult;
import io.thingport.api.rule.FailedMessage;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleMetrics;
import io.thingport.api.rule.RuleService;
import io.thingport.api.rule.RuleVersion;
import io.thingport.core.internal.downlink.DeviceMessageSenderImpl;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.pipeline.UplinkPipeline;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import io.thingport.core.internal.storage.Storage;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The rule engine in the platform: rules, their routes in the platform's CamelContext, their data sources and the
 * failed-message store in the platform's database. The shell (and later the REST API) call this one service.
 */
@Component(service = {RuleService.class, RuleServiceImpl.class})
public final class RuleServiceImpl implements RuleService {
    /** Rows kept in the failed-message store at most; the oldest go first beyond it. */
    static final long FAILED_STORE_MAX_ROWS = 100_000;

    private final RuleEngine engine;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final DeployedRoutes deployed;
    private final ServiceRegistration<ArtifactInstaller> deployedRegistration;

    @Activate
    public RuleServiceImpl(BundleContext bundles, @Reference Storage storage, @Reference ProductServiceImpl products,
                           @Reference DeviceServiceImpl devices, @Reference DeviceLogServiceImpl log,
                           @Reference DeviceMessageSenderImpl sender, @Reference UplinkPipeline pipeline,
                           @Reference SystemLogService systemLog) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "thingport-rules-retry");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        DriverConnector drivers = new DriverConnector(bundles);
        SinkContext sinks = new SinkContext() {
            @Override
            public CamelContext camel() {
                return pipeline.camel();
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
                return drivers.connect(database);
            }
        };
        FailedStore failed = new FailedStore(storage, FAILED_STORE_MAX_ROWS);
        RuleRuntime.Environment environment = new RuleRuntime.Environment(pipeline.camel(), sinks, failed, scheduler);
        RuleEngine.Platform platform = new RuleEngine.Platform() {
            @Override
            public Optional<ThingModel> productModel(String productId) {
                return products.findProduct(productId).map(Product::thingModel);
            }

            @Override
            public Optional<ThingModel> deviceModel(String deviceId) {
                return devices.findDevice(deviceId).flatMap(d -> products.findProduct(d.productId())).map(Product::thingModel);
            }

            @Override
            public List<DeviceLogEntry> recentLog(String deviceId, int limit) {
                return log.recent(deviceId, limit);
            }
        };
        this.engine = new RuleEngine(new RuleStore(storage), failed, platform, environment, System::currentTimeMillis, systemLog);
        engine.startAll();
        this.deployed = new DeployedRoutes(pipeline.camel());
        this.deployedRegistration = deployed.register(bundles);
    }

    @Deactivate
    void deactivate() {
        deployedRegistration.unregister();
        deployed.close();
        engine.stopAll();
        scheduler.shutdownNow();
    }

    @Override
    public RuleInfo create(RuleDefinition rule) {
        return engine.create(rule);
    }

    @Override
    public RuleInfo update(RuleDefinition rule, Integer expectedVersion) {
        return engine.update(rule, expectedVersion, "updated");
    }

    @Override
    public RuleInfo setEnabled(String id, boolean enabled) {
        return engine.setEnabled(id, enabled);
    }

    @Override
    public void delete(String id) {
        engine.delete(id);
    }

    @Override
    public List<RuleInfo> list() {
        return engine.list();
    }

    @Override
    public Optional<RuleInfo> get(String id) {
        return engine.get(id);
    }

    @Override
    public List<RuleVersion> history(String id) {
        return engine.history(id);
    }

    @Override
    public RuleInfo rollback(String id, int version) {
        return engine.rollback(id, version);
    }

    @Override
    public String exportJson(List<String> ids) {
        return engine.exportJson(ids);
    }

    @Override
    public List<RuleInfo> importJson(String json) {
        return engine.importJson(json);
    }

    @Override
    public DryRunResult test(RuleDefinition rule, String messageJson) {
        return engine.test(rule, messageJson);
    }

    @Override
    public List<DryRunResult> testStored(RuleDefinition rule, String deviceId, int count) {
        return engine.testStored(rule, deviceId, count);
    }

    @Override
    public RuleMetrics metrics(String id) {
        return engine.metrics(id);
    }

    @Override
    public List<FailedMessage> failed(String ruleId, int limit) {
        return engine.failed(ruleId, limit);
    }

    @Override
    public Optional<FailedMessage> failedMessage(long id) {
        return engine.failedMessage(id);
    }

    @Override
    public int replay(Long id, String ruleId) {
        return engine.replay(id, ruleId);
    }

    @Override
    public int discard(Long id, String ruleId) {
        return engine.discard(id, ruleId);
    }

    @Override
    public DataSourceInfo addDataSource(String name, String type, Map<String, String> options) {
        return engine.addDataSource(name, type, options);
    }

    @Override
    public List<DataSourceInfo> dataSources() {
        return engine.dataSources();
    }

    @Override
    public Optional<DataSourceInfo> dataSource(String name) {
        return engine.dataSource(name);
    }

    @Override
    public void deleteDataSource(String name) {
        engine.deleteDataSource(name);
    }
}
