package io.thingport.core.internal.network;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogService;
import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.core.internal.access.SystemEvents;
import io.thingport.core.internal.certs.CertificateServiceImpl;
import io.thingport.core.internal.downlink.DeviceMessageSenderImpl;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import io.thingport.core.internal.gateway.DeviceGateway;
import io.thingport.core.internal.gateway.DeviceSessions;
import io.thingport.core.internal.gateway.UplinkBudget;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.log.RefusedLogins;
import io.thingport.core.internal.network.GatewayBinder.ComponentView;
import io.thingport.core.internal.network.GatewayBinder.GatewayView;
import io.thingport.core.internal.pipeline.UplinkPipeline;
import io.thingport.core.internal.protocol.ProtocolListener;
import io.thingport.core.internal.protocol.RevisionFallbacks;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import io.thingport.core.internal.registry.TopologyServiceImpl;
import io.thingport.core.internal.shadow.ShadowServiceImpl;
import io.thingport.core.internal.storage.StorageConfiguration;
import io.thingport.core.internal.usage.GatewayCatalog;
import io.thingport.core.internal.usage.UsageCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured network components and device access gateways: follows their configurations (delivered by
 * {@link NetworkComponentConfiguration} and {@link GatewayConfiguration}), the installed component types and the live
 * protocols, starts and stops components ({@link ComponentRunner}) and binds gateways to them ({@link GatewayBinder},
 * {@link GatewayRules}). {@link NetworkManagerImpl} and {@link GatewayManagerImpl} serve the management API over it.
 *
 * <p>A component runs when its configuration is enabled (and meant for this node) and its type's
 * {@link NetworkComponentProvider} is installed; a gateway serves a running component when it is enabled and its
 * protocol is installed and supports the component's transport. Both follow their factory configurations
 * ({@code etc/io.thingport.network-*.cfg}, {@code etc/io.thingport.gateway-*.cfg}) and the comings and goings of
 * providers and protocols. All state is guarded by this object's monitor, which is also what the management
 * services wait on until a configuration they wrote is applied.
 */
@Component(service = {NetworkRuntime.class, ProtocolListener.class, UsageCheck.class, GatewayCatalog.class})
public final class NetworkRuntime implements ProtocolListener, UsageCheck, GatewayCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkRuntime.class);
    private static final long APPLY_TIMEOUT_MS = 30_000;

    private final ProductServiceImpl products;
    private final ComponentRunner runner;
    private final DeviceGateway.Services services;
    private final SystemLogService systemLog;
    private final ExecutorService workers;
    private final Map<String, NetworkComponentProvider> providers = new LinkedHashMap<>();
    private final Map<String, ProtocolSupport> protocols = new LinkedHashMap<>();
    private final Map<String, ComponentEntry> components = new TreeMap<>();
    private final Map<String, GatewayEntry> gateways = new TreeMap<>();
    /** The package service's fallbacks (bound late: the package service starts after the protocols' listeners). */
    private final FollowedFallbacks fallbacks = new FollowedFallbacks();
    private boolean active = true;

    @Activate
    public NetworkRuntime(@Reference ProductServiceImpl products, @Reference DeviceServiceImpl devices,
                          @Reference DeviceSessions sessions, @Reference DeviceLogServiceImpl log, @Reference RefusedLogins refusals,
                          @Reference UplinkPipeline pipeline, @Reference DeviceMessageSenderImpl sender,
                          @Reference DeviceEventBusImpl events, @Reference CertificateServiceImpl certificates,
                          @Reference StorageConfiguration storage, @Reference SystemLogService systemLog,
                          @Reference ShadowServiceImpl shadows, @Reference TopologyServiceImpl topology) {
        this.workers = new WorkerPool(4, () -> storage.settings().loginsMaxQueued());
        UplinkBudget budget = new UplinkBudget(() -> storage.settings().uplinksMaxInflight(),
                () -> storage.settings().uplinksMaxInflightBytes());
        this.products = products;
        this.systemLog = systemLog;
        this.runner = new ComponentRunner(certificates, refusals, devices.node(), systemLog);
        this.services = new DeviceGateway.Services(products, devices, sessions, log, refusals, pipeline, sender, events, workers,
                budget, fallbacks, shadows, topology);
    }

    @Deactivate
    synchronized void close() {
        active = false;
        components.forEach(this::stop);
        workers.shutdown();
    }

    // ------------------------------------------------------------------ providers and protocols

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindFallbacks(RevisionFallbacks bound) {
        fallbacks.target = bound;
    }

    void unbindFallbacks(RevisionFallbacks bound) {
        if (fallbacks.target == bound) {
            fallbacks.target = RevisionFallbacks.NONE;
        }
    }

    /**
     * The bound {@link RevisionFallbacks}, or none. Optional and dynamic: the package service needs the protocol registry,
     * whose listener this runtime is, so a mandatory reference would make a cycle.
     */
    private static final class FollowedFallbacks implements RevisionFallbacks {
        private volatile RevisionFallbacks target = RevisionFallbacks.NONE;

        @Override
        public Optional<ProtocolSupport> previous(ProtocolSupport failing) {
            return target.previous(failing);
        }

        @Override
        public void rollBack(ProtocolSupport failing, Throwable error) {
            target.rollBack(failing, error);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addProvider(NetworkComponentProvider provider) {
        providers.put(provider.type(), provider);
        components.forEach((id, e) -> {
            if (e.type.equals(provider.type()) && e.running == null) {
                start(id, e);
            }
        });
        bindGateways();
    }

    synchronized void removeProvider(NetworkComponentProvider provider) {
        if (providers.remove(provider.type(), provider)) {
            components.forEach((id, e) -> {
                if (e.type.equals(provider.type())) {
                    stop(id, e);
                    e.state = RunState.WAITING;
                    e.detail = "network component type " + provider.type() + " is not installed";
                }
            });
            bindGateways();
        }
    }

    /** The live protocols changed (installed, updated or removed): gateways bind, swap codecs or wait. */
    @Override
    public synchronized void protocolsChanged(Map<String, ProtocolSupport> live) {
        protocols.clear();
        protocols.putAll(live);
        bindGateways();
    }

    // ------------------------------------------------------------------ configurations (called by DS)

    synchronized void configureComponent(String id, Map<String, String> properties) {
        ComponentEntry e = components.computeIfAbsent(id, k -> new ComponentEntry());
        if (e.properties.equals(properties) && e.running != null) {
            return; // the same configuration again (e.g. the file installer echoing a change): nothing to restart
        }
        stop(id, e);
        e.properties = Map.copyOf(properties);
        e.type = properties.getOrDefault("type", "").trim();
        start(id, e);
        bindGateways();
        notifyAll();
    }

    synchronized void removeComponent(String id) {
        ComponentEntry e = components.remove(id);
        if (e != null) {
            stop(id, e);
            bindGateways();
        }
        notifyAll();
    }

    synchronized void configureGateway(String id, Map<String, String> properties) {
        GatewayEntry g = gateways.computeIfAbsent(id, GatewayEntry::new);
        if (g.properties.equals(properties)) {
            notifyAll();
            return;
        }
        g.properties = Map.copyOf(properties);
        try {
            g.spec = GatewayRules.parse(id, g.properties);
        } catch (ThingportException e) {
            g.spec = null;
            g.state = RunState.FAILED;
            g.detail = e.getMessage();
            LOG.error("Gateway {}: {}", id, e.getMessage());
            systemLog.record(SystemEvent.ERROR, SystemEvents.GATEWAY, id, "gateway failed: " + e.getMessage());
        }
        bindGateways();
        notifyAll();
    }

    synchronized void removeGateway(String id) {
        GatewayEntry g = gateways.remove(id);
        if (g != null) {
            bindGateways();
            g.close("gateway " + id + " was deleted");
        }
        notifyAll();
    }

    // ------------------------------------------------------------------ running components and gateways

    private void start(String id, ComponentEntry e) {
        e.error = null;
        if (!active) {
            return;
        }
        e.started(runner.start(id, e.properties, providers));
    }

    private void stop(String id, ComponentEntry e) {
        if (e.running != null) {
            runner.stop(id, e.running);
            e.running = null;
            e.state = RunState.WAITING;
            e.detail = "stopped";
        }
    }

    /** Computes which gateway serves which running component ({@link GatewayBinder}) and applies it. */
    private void bindGateways() {
        Map<String, ComponentView> componentViews = new HashMap<>();
        components.forEach((id, c) -> componentViews.put(id, c.view()));
        Map<String, GatewayView> gatewayViews = new HashMap<>();
        gateways.forEach((id, g) -> gatewayViews.put(id, g.view()));
        GatewayBinder.Plan plan = GatewayBinder.plan(componentViews, gatewayViews, protocols);

        List<Runnable> closings = new ArrayList<>();
        plan.gateways().forEach((id, d) -> {
            GatewayEntry g = gateways.get(id);
            RunState before = g.state;
            g.apply(d, d.component() == null ? null : components.get(d.component()).running, services, closings);
            if (g.state == RunState.FAILED && before != RunState.FAILED) {
                systemLog.record(SystemEvent.ERROR, SystemEvents.GATEWAY, id, "gateway failed: " + g.detail);
            }
        });
        components.forEach((id, c) -> {
            if (c.running != null) {
                List<DeviceGateway> bound = new ArrayList<>();
                plan.bound().getOrDefault(id, List.of()).forEach(g -> bound.add(gateways.get(g).active));
                c.running.listener().gateways(bound);
            }
        });
        closings.forEach(Runnable::run);
    }

    // ------------------------------------------------------------------ what other parts ask

    @Override
    public synchronized List<String> users(UsageCheck.Kind kind, String name) {
        List<String> out = new ArrayList<>();
        switch (kind) {
            case CERTIFICATE -> components.forEach((id, e) -> {
                if (name.equals(e.properties.get("certificate")) || name.equals(e.properties.get("trust"))) {
                    out.add(id);
                }
            });
            case PROTOCOL -> gateways.forEach((id, g) -> {
                if (g.spec != null && g.spec.protocol().equals(name)) {
                    out.add(id);
                }
            });
            default -> throw new IllegalArgumentException(kind.toString());
        }
        return out;
    }

    @Override
    public synchronized boolean exists(String gateway) {
        return gateways.containsKey(gateway);
    }

    /** The gateways configured with a component (a component cannot be deleted under them). */
    synchronized List<String> gatewaysUsing(String component) {
        List<String> out = new ArrayList<>();
        gateways.forEach((id, g) -> {
            if (g.uses(component)) {
                out.add(id);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ views (served by NetworkManagerImpl)

    synchronized List<NetworkComponentInfo> components() {
        List<NetworkComponentInfo> out = new ArrayList<>();
        components.forEach((id, e) -> out.add(info(id, e)));
        return out;
    }

    synchronized Optional<NetworkComponentInfo> component(String name) {
        ComponentEntry e = components.get(name);
        return e == null ? Optional.empty() : Optional.of(info(name, e));
    }

    private NetworkComponentInfo info(String id, ComponentEntry e) {
        return e.info(id, gatewaysUsing(id));
    }

    synchronized Map<String, String> types() {
        Map<String, String> out = new TreeMap<>();
        providers.forEach((type, p) -> out.put(type, p.transport().name()));
        return out;
    }

    /** A snapshot of a component once its configuration equals what was written; {@code failed} when refused. */
    record ComponentSnapshot(NetworkComponentInfo info, ErrorCode error) {
        boolean failed() {
            return info.state().equals(RunState.FAILED.wireName());
        }
    }

    synchronized ComponentSnapshot awaitComponent(String name, Map<String, String> wanted) {
        long deadline = System.currentTimeMillis() + APPLY_TIMEOUT_MS;
        while (true) {
            ComponentEntry e = components.get(name);
            if (e != null && e.properties.equals(wanted)) {
                return new ComponentSnapshot(info(name, e), e.error == null ? ErrorCode.INVALID_ARGUMENT : e.error);
            }
            waitUntil(deadline, "network component " + name + " (expected " + NetworkComponentConfig.masked(wanted) + ", the platform has "
                    + (e == null ? "no such component" : NetworkComponentConfig.masked(e.properties) + " " + e.state.wireName()) + ")");
        }
    }

    void awaitComponentGone(String name) {
        awaitGone(components, name, "network component " + name);
    }

    private synchronized void awaitGone(Map<String, ?> entries, String name, String what) {
        long deadline = System.currentTimeMillis() + APPLY_TIMEOUT_MS;
        while (entries.containsKey(name)) {
            waitUntil(deadline, what);
        }
    }

    private void waitUntil(long deadline, String what) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
            throw new ThingportException(ErrorCode.INTERNAL, what + ": the configuration was written but not applied within "
                    + APPLY_TIMEOUT_MS / 1000 + " s (is the thingport-core bundle active?)");
        }
        try {
            wait(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThingportException(ErrorCode.INTERNAL, what + ": interrupted");
        }
    }

    /** A new component's name must be free and its type installed. */
    synchronized void checkNewComponent(String name, String type) {
        if (components.containsKey(name)) {
            throw new ThingportException(ErrorCode.CONFLICT, "network component " + name + " already exists");
        }
        if (!providers.containsKey(type)) {
            throw ThingportException.invalidArgument("network component " + name + ": unknown type '" + type + "' (installed types: "
                    + String.join(", ", new TreeSet<>(providers.keySet())) + ")");
        }
    }

    // ------------------------------------------------------------------ gateways (served by GatewayManagerImpl)

    synchronized List<GatewayInfo> gatewayList() {
        List<GatewayInfo> out = new ArrayList<>();
        gateways.forEach((id, g) -> out.add(info(id, g)));
        return out;
    }

    synchronized Optional<GatewayInfo> gateway(String name) {
        GatewayEntry g = gateways.get(name);
        return g == null ? Optional.empty() : Optional.of(info(name, g));
    }

    private GatewayInfo info(String id, GatewayEntry g) {
        return g.info(products.productsOfGateway(id));
    }

    /**
     * The binding rules a gateway's new configuration must keep with the components and gateways as they are: its
     * component exists, is not taken by another gateway unless it may be shared, and its protocol (if installed)
     * supports the component's transport.
     */
    synchronized void checkBinding(String gateway, String network, String protocolId, boolean isNew) {
        if (isNew && gateways.containsKey(gateway)) {
            throw new ThingportException(ErrorCode.CONFLICT, "gateway " + gateway + " already exists");
        }
        ComponentEntry c = components.get(network);
        if (c == null) {
            throw ThingportException.notFound("network component", network);
        }
        String other = null;
        for (Map.Entry<String, GatewayEntry> g : gateways.entrySet()) {
            if (!g.getKey().equals(gateway) && network.equals(g.getValue().properties.get("network"))) {
                other = g.getKey();
                break;
            }
        }
        String conflict = GatewayRules.sharingConflict(network, c.type, other);
        if (conflict != null) {
            throw new ThingportException(ErrorCode.CONFLICT, conflict);
        }
        ProtocolSupport protocol = protocols.get(protocolId);
        NetworkComponentProvider provider = providers.get(c.type);
        if (protocol != null && provider != null) {
            String mismatch = GatewayRules.transportMismatch(protocolId, protocol.transports(), provider.transport(), network);
            if (mismatch != null) {
                throw ThingportException.invalidArgument("gateway " + gateway + ": " + mismatch);
            }
        }
    }

    /** A snapshot of a gateway once its configuration equals {@code wanted}; {@code failed} when it was refused. */
    record GatewaySnapshot(GatewayInfo info, boolean failed) {
    }

    synchronized GatewaySnapshot awaitGateway(String name, Map<String, String> wanted) {
        long deadline = System.currentTimeMillis() + APPLY_TIMEOUT_MS;
        while (true) {
            GatewayEntry g = gateways.get(name);
            if (g != null && g.properties.equals(wanted)) {
                return new GatewaySnapshot(info(name, g), g.state == RunState.FAILED);
            }
            waitUntil(deadline, "gateway " + name);
        }
    }

    void awaitGatewayGone(String name) {
        awaitGone(gateways, name, "gateway " + name);
    }
}
