package io.thingport.rest.internal;

import io.thingport.api.access.AccessLogService;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.Role;
import io.thingport.api.access.SystemLogService;
import io.thingport.api.device.AlarmService;
import io.thingport.api.device.CommandQueue;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.ProductService;
import io.thingport.api.device.TopologyService;
import io.thingport.api.network.CertificateService;
import io.thingport.api.network.GatewayManager;
import io.thingport.api.network.NetworkManager;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.api.rule.RuleService;
import io.thingport.api.shadow.ShadowService;
import io.thingport.api.simulation.SimulationService;
import io.thingport.api.simulation.VirtualDeviceService;
import io.thingport.rest.internal.audit.AccessLogFilter;
import io.thingport.rest.internal.auth.AuthFilter;
import io.thingport.rest.internal.auth.CallerCheck;
import io.thingport.rest.internal.auth.CallerChecks;
import io.thingport.rest.internal.auth.JaasPasswordCheck;
import io.thingport.rest.internal.auth.LoginThrottle;
import io.thingport.rest.internal.auth.RequestAuthenticator;
import io.thingport.rest.internal.auth.RoleFilter;
import io.thingport.rest.internal.auth.TokenStore;
import io.thingport.rest.internal.commands.CommandTracker;
import io.thingport.rest.internal.events.EventHub;
import io.thingport.rest.internal.events.EventsResource;
import io.thingport.rest.internal.http.ErrorMapper;
import io.thingport.rest.internal.http.JsonProvider;
import io.thingport.rest.internal.imports.DeviceImports;
import io.thingport.rest.internal.resources.AccessLogResource;
import io.thingport.rest.internal.resources.AlarmResource;
import io.thingport.rest.internal.resources.ApplicationResource;
import io.thingport.rest.internal.resources.AuthResource;
import io.thingport.rest.internal.resources.CertificateResource;
import io.thingport.rest.internal.resources.CommandResource;
import io.thingport.rest.internal.resources.CommandStatusResource;
import io.thingport.rest.internal.resources.DataSourceResource;
import io.thingport.rest.internal.resources.DeviceResource;
import io.thingport.rest.internal.resources.FailedMessageResource;
import io.thingport.rest.internal.resources.GatewayResource;
import io.thingport.rest.internal.resources.NetworkResource;
import io.thingport.rest.internal.resources.OpenApiResource;
import io.thingport.rest.internal.resources.ProductCategoryResource;
import io.thingport.rest.internal.resources.ProductResource;
import io.thingport.rest.internal.resources.ProtocolResource;
import io.thingport.rest.internal.resources.RuleResource;
import io.thingport.rest.internal.resources.ShadowResource;
import io.thingport.rest.internal.resources.SimulationResource;
import io.thingport.rest.internal.resources.SubDeviceResource;
import io.thingport.rest.internal.resources.SystemLogResource;
import io.thingport.rest.internal.resources.VirtualDeviceResource;
import io.thingport.rest.internal.users.JaasUserDirectory;
import io.thingport.rest.internal.users.UserDirectory;
import io.thingport.rest.internal.users.UserResource;
import io.thingport.rest.internal.ws.WsEndpoint;
import io.thingport.rest.internal.ws.WsHandshake;
import io.thingport.rest.internal.ws.WsServices;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.Preprocessor;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the Open API: one CXF JAX-RS server at {@code /v1} of the CXF servlet (mounted at {@code /api} by
 * {@code etc/org.apache.cxf.osgi.cfg}, so {@code http://host:8181/api/v1/...}), with the platform's services behind
 * its resources. Waits for CXF's HTTP transport ({@link DestinationRegistry}) so the address is served once created.
 * Beside it, the live events' WebSocket endpoint at {@code /api/v1/ws} ({@link WsEndpoint}), served by pax-web's
 * whiteboard, with its handshakes authenticated by a whiteboard preprocessor ({@link WsHandshake}).
 */
@Component(immediate = true, configurationPid = "io.thingport.rest", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RestConfig.class)
public final class RestServer {
    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
    /** Where the API lives under the CXF servlet. */
    public static final String ADDRESS = "/v1";
    /** The paths that take a protocol package's jar. */
    private static final Pattern UPLOAD = Pattern.compile("/api/v1/protocols(/[^/]+)?");
    /** The path that takes a batch of devices. */
    private static final String IMPORT = "/api/v1/devices/import";

    private final Server server;
    private final EventHub events;
    private final WsEndpoint ws;
    private final DeviceImports imports;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final ServiceTracker<JaasRealm, JaasRealm> realms;
    private final ServiceTracker<BackingEngineFactory, BackingEngineFactory> engines;

    @Activate
    public RestServer(RestConfig config, BundleContext context, @Reference DestinationRegistry transport,
            @Reference ProductService products, @Reference DeviceService devices, @Reference DeviceLogService logs,
            @Reference DeviceMessageSender sender, @Reference ApplicationService applications,
            @Reference AccessLogService accessLog, @Reference RuleService rules, @Reference NetworkManager network,
            @Reference GatewayManager gateways, @Reference ProtocolPackageService protocols,
            @Reference CertificateService certificates, @Reference SystemLogService systemLog, @Reference ShadowService shadows,
            @Reference TopologyService topology, @Reference AlarmService alarms, @Reference CommandQueue queues,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            VirtualDeviceService virtualDevices,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            SimulationService simulations) {
        Clock clock = Clock.systemUTC();
        TokenStore tokens = new TokenStore(10_000, 32);
        LoginThrottle throttle = new LoginThrottle(Duration.ofMinutes(config.failedLoginWindowMinutes()),
                config.failedLoginsPerClient(), config.failedLoginsPerSource(), 100_000);
        RequestAuthenticator authenticator = new RequestAuthenticator(applications,
                new JaasPasswordCheck(config.jaasRealm()), tokens, throttle, clock);
        long maxBody = config.maxBodyBytes();
        long maxUpload = config.maxUploadBytes();
        // a jar upload (admins) and a batch of devices (operators) may be large; every other body is a JSON document
        AuthFilter.BodyLimit limit = (path, role) -> role == Role.ADMIN && UPLOAD.matcher(path).matches()
                || role.includes(Role.OPERATOR) && path.equals(IMPORT) ? maxUpload : maxBody;

        List<Object> resources = new ArrayList<>();
        resources.add(new ProductResource(products));
        resources.add(new ProductCategoryResource(products));
        resources.add(new AlarmResource(alarms, devices));
        this.imports = new DeviceImports(devices, clock);
        resources.add(new DeviceResource(devices, products, logs, imports));
        CommandTracker commands = new CommandTracker(config.maxTrackedCommands());
        resources.add(new CommandResource(devices, sender, queues, commands, Duration.ofSeconds(config.commandTimeoutSeconds()),
                clock));
        resources.add(new CommandStatusResource(commands, queues));
        resources.add(new ShadowResource(devices, shadows));
        resources.add(new SubDeviceResource(devices, topology));
        resources.add(new VirtualDeviceResource(virtualDevices, devices));
        resources.add(new SimulationResource(simulations, products));
        resources.add(new AuthResource(tokens, Duration.ofMinutes(config.tokenMinutes()), clock));
        realms = new ServiceTracker<>(context, JaasRealm.class, null);
        engines = new ServiceTracker<>(context, BackingEngineFactory.class, null);
        realms.open();
        engines.open();
        UserDirectory people = new JaasUserDirectory(() -> tracked(realms, JaasRealm.class),
                () -> tracked(engines, BackingEngineFactory.class), config.jaasRealm());
        resources.add(new UserResource(people, tokens));
        CallerCheck callers = new CallerChecks(applications, people, clock);
        resources.add(new OpenApiResource());
        this.events = new EventHub(logs, config.maxEventStreams(), config.eventQueue());
        resources.add(new EventsResource(events, logs, Duration.ofMinutes(config.eventReplayMinutes()),
                config.eventReplayMax(), clock, callers));
        resources.add(new RuleResource(rules));
        resources.add(new FailedMessageResource(rules));
        resources.add(new DataSourceResource(rules));
        resources.add(new NetworkResource(network));
        resources.add(new GatewayResource(gateways));
        resources.add(new ProtocolResource(protocols, System.getProperty("java.io.tmpdir")));
        resources.add(new CertificateResource(certificates));
        resources.add(new ApplicationResource(applications));
        resources.add(new AccessLogResource(accessLog));
        resources.add(new SystemLogResource(systemLog));

        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setBus(BusFactory.getDefaultBus());
        factory.setAddress(ADDRESS);
        factory.setServiceBeans(resources);
        factory.setProviders(List.of(new JsonProvider(), new ErrorMapper(), new AccessLogFilter(accessLog, clock),
                new AuthFilter(authenticator, limit, id -> applications.find(id).filter(a -> !a.revoked())
                        .map(ApplicationInfo::role)), new RoleFilter()));
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(RestServer.class.getClassLoader());
        try {
            this.server = factory.create();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        LOG.info("Open API published at /api{}", ADDRESS);

        this.ws = new WsEndpoint(new WsServices(events, logs, accessLog, clock, System::nanoTime,
                drains(2 * config.maxEventStreams()), WsServices.Limits.of(Duration.ofMinutes(config.eventReplayMinutes()),
                        config.eventReplayMax())), callers);
        try {
            registrations.add(context.registerService(Preprocessor.class, new WsHandshake(authenticator, accessLog,
                    clock), null));
            Dictionary<String, Object> endpoint = new Hashtable<>();
            endpoint.put(WsEndpoint.WHITEBOARD_PROPERTY, "true");
            registrations.add(context.registerService(Object.class, ws, endpoint));
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("Live events served over WebSocket at {}", WsEndpoint.PATH);
    }

    private static <T> List<T> tracked(ServiceTracker<T, T> tracker, Class<T> type) {
        List<T> out = new ArrayList<>();
        Object[] services = tracker.getServices();
        if (services != null) {
            for (Object service : services) {
                out.add(type.cast(service));
            }
        }
        return out;
    }

    @Deactivate
    void stop() {
        // our connections first, so that their clients hear why (1001) before the web server drops the endpoint
        ws.close();
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                LOG.debug("A whiteboard service of the Open API was already unregistered", e);
            }
        }
        events.close();
        server.destroy();
        realms.close();
        engines.close();
        imports.close();
    }

    /** The threads that drain WebSocket subscriptions: one each while it runs (the hub bounds how many run). */
    private static ExecutorService drains(int max) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, max, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "thingport-ws-drain-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
