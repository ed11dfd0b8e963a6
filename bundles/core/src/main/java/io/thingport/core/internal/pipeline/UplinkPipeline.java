package io.thingport.core.internal.pipeline;

import io.thingport.api.ErrorCode;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.core.internal.alarms.AlarmServiceImpl;
import io.thingport.core.internal.downlink.DeviceMessageSenderImpl;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import io.thingport.core.internal.rules.StreamComponent;
import io.thingport.core.internal.storage.Storage;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelContext;
import org.apache.camel.ManagementStatisticsLevel;
import org.apache.camel.core.osgi.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.apache.camel.spi.ManagementStrategy;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The platform CamelContext ({@code thingport}), registered as a service, and its {@link UplinkRoute} working on the
 * platform's products, devices, device log, message sender and {@link DeviceEventBusImpl}.
 */
@Component(service = UplinkPipeline.class)
public final class UplinkPipeline {
    private final CamelContext camel;
    private final UplinkRoute route;
    private final ServiceRegistration<CamelContext> registration;

    @Activate
    public UplinkPipeline(BundleContext bundleContext, @Reference ProductServiceImpl products, @Reference DeviceServiceImpl devices,
                          @Reference DeviceLogServiceImpl log, @Reference Storage storage, @Reference DeviceMessageSenderImpl sender,
                          @Reference DeviceEventBusImpl events, @Reference AlarmServiceImpl alarms,
                          @Reference(target = "(component=direct)") ComponentResolver direct) throws Exception {
        OsgiDefaultCamelContext context = new OsgiDefaultCamelContext(bundleContext);
        context.setName("thingport");
        lightweight(context);
        context.addComponent(StreamComponent.SCHEME, new StreamComponent(events));
        context.start();
        this.camel = context;
        this.route = new UplinkRoute(context, new PlatformUplinkEffects(products, devices, log, storage, sender, events, alarms));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("camel.context.name", "thingport");
        this.registration = bundleContext.registerService(CamelContext.class, context, props);
    }

    /**
     * Per-message work Camel does by default that the platform's routes do not need: stream caching (every exchange's
     * body looked up in the type converters, though bodies are never streams) and statistics per processor (kept per
     * route, which {@code camel:route-list} shows). Both showed in the profile of the saturated platform.
     */
    static void lightweight(CamelContext context) {
        context.setStreamCaching(false);
        ManagementStrategy management = context.getManagementStrategy();
        if (management != null && management.getManagementAgent() != null) {
            management.getManagementAgent().setStatisticsLevel(ManagementStatisticsLevel.RoutesOnly);
        }
    }

    /** The platform's CamelContext: rules add their routes to it. */
    public CamelContext camel() {
        return camel;
    }

    @Deactivate
    void close() {
        registration.unregister();
        route.close();
        camel.stop();
    }

    /** Runs one decoded uplink through the route; completes when it is stored, or rejected and the rejection logged. */
    public CompletableFuture<Void> process(DeviceSession session, DeviceMessage message, EncodedMessage raw) {
        return route.process(session, message, raw);
    }

    /**
     * Rejects an uplink: sends an {@code /error} to the device and logs the refusal with the raw payload. Nothing of
     * the message is stored. Completes when the log entry is committed.
     */
    public CompletableFuture<Void> reject(DeviceSession session, EncodedMessage raw, String messageId, ErrorCode code, String reason) {
        return route.reject(session, raw, messageId, code, reason);
    }
}
