package io.thingport.core.internal.network;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.NetworkManager;
import io.thingport.api.protocol.ProtocolRegistry;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.core.internal.downlink.MessageSender;
import io.thingport.core.internal.events.EventBus;
import io.thingport.core.internal.gateway.DeviceGateway;
import io.thingport.core.internal.gateway.DeviceSessions;
import io.thingport.core.internal.log.DeviceLog;
import io.thingport.core.internal.pipeline.UplinkPipeline;
import io.thingport.core.internal.registry.Registry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Runs the configured network components. A component runs when its configuration, its type's
 * {@link NetworkComponentProvider} and its protocol are all present; it stops when any of them goes away and starts
 * again when they return. Each running component is served by a {@link DeviceGateway} for its protocol.
 */
@Component(service = {NetworkManagerImpl.class, NetworkManager.class, ProtocolRegistry.class})
public final class NetworkManagerImpl implements NetworkManager, ProtocolRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkManagerImpl.class);
    static final String DEFAULT_PROTOCOL = "official";

    private final DeviceGateway.Services services;
    private final ExecutorService workers;
    private final Map<String, NetworkComponentProvider> providers = new LinkedHashMap<>();
    private final Map<String, ProtocolSupport> protocols = new LinkedHashMap<>();
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private boolean active = true;

    private static final class Entry {
        NetworkComponentConfig config;
        String protocolId;
        NetworkComponent running;
        String state = "waiting";
        String detail = "";
    }

    @Activate
    public NetworkManagerImpl(@Reference Registry registry, @Reference DeviceSessions sessions, @Reference DeviceLog log,
                              @Reference UplinkPipeline pipeline, @Reference MessageSender sender, @Reference EventBus events) {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "thingport-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.services = new DeviceGateway.Services(registry, sessions, log, pipeline, sender, events, workers);
    }

    @Deactivate
    synchronized void close() {
        active = false;
        entries.keySet().forEach(this::stop);
        workers.shutdown();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addProvider(NetworkComponentProvider provider) {
        providers.put(provider.type(), provider);
        reconcileAll();
    }

    synchronized void removeProvider(NetworkComponentProvider provider) {
        if (providers.remove(provider.type(), provider)) {
            entries.forEach((id, e) -> {
                if (e.config.type().equals(provider.type())) {
                    stop(id);
                }
            });
            reconcileAll();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addProtocol(ProtocolSupport protocol) {
        protocols.put(protocol.id(), protocol);
        reconcileAll();
    }

    synchronized void removeProtocol(ProtocolSupport protocol) {
        if (protocols.remove(protocol.id(), protocol)) {
            entries.forEach((id, e) -> {
                if (e.protocolId.equals(protocol.id())) {
                    stop(id);
                }
            });
            reconcileAll();
        }
    }

    /** Adds or replaces a component's configuration (from {@code etc/io.thingport.network-*.cfg}). */
    synchronized void configure(NetworkComponentConfig config) {
        stop(config.id());
        Entry e = entries.computeIfAbsent(config.id(), k -> new Entry());
        e.config = config;
        e.protocolId = config.string("protocol", DEFAULT_PROTOCOL);
        reconcile(config.id(), e);
    }

    synchronized void remove(String id) {
        stop(id);
        entries.remove(id);
    }

    private void reconcileAll() {
        entries.forEach(this::reconcile);
    }

    private void reconcile(String id, Entry e) {
        if (!active || e.running != null) {
            return;
        }
        NetworkComponentProvider provider = providers.get(e.config.type());
        ProtocolSupport protocol = protocols.get(e.protocolId);
        if (provider == null) {
            waiting(e, "network component type " + e.config.type() + " is not installed");
            return;
        }
        if (protocol == null) {
            waiting(e, "protocol " + e.protocolId + " is not installed");
            return;
        }
        if (!protocol.transports().contains(provider.transport())) {
            e.state = "failed";
            e.detail = "protocol " + protocol.id() + " does not support " + provider.transport() + " (it supports " + protocol.transports() + ")";
            LOG.error("Network component {}: {}", id, e.detail);
            return;
        }
        try {
            DeviceGateway gateway = new DeviceGateway(id, protocol, provider.transport(), services);
            e.running = provider.start(e.config, gateway);
            e.state = "running";
            e.detail = String.valueOf(e.running.boundAddress());
            LOG.info("Network component {} ({}, protocol {}) listening on {}", id, e.config.type(), protocol.id(), e.detail);
        } catch (ThingportException ex) {
            e.state = "failed";
            e.detail = ex.getMessage();
            LOG.error("Network component {} cannot start: {}", id, ex.getMessage());
        } catch (RuntimeException ex) {
            e.state = "failed";
            e.detail = ex.toString();
            LOG.error("Network component {} cannot start", id, ex);
        }
    }

    private static void waiting(Entry e, String why) {
        e.state = "waiting";
        e.detail = why;
    }

    private void stop(String id) {
        Entry e = entries.get(id);
        if (e == null || e.running == null) {
            return;
        }
        try {
            e.running.close();
        } catch (RuntimeException ex) {
            LOG.warn("Network component {} did not stop cleanly: {}", id, ex.toString());
        }
        e.running = null;
        waiting(e, "stopped");
        LOG.info("Network component {} stopped", id);
    }

    @Override
    public synchronized List<NetworkComponentInfo> components() {
        List<NetworkComponentInfo> out = new ArrayList<>();
        entries.forEach((id, e) -> out.add(new NetworkComponentInfo(id, e.config.type(), e.protocolId, e.state, e.detail,
                e.running == null ? 0 : e.running.connectionCount(), e.config.sorted())));
        out.sort(Comparator.comparing(NetworkComponentInfo::id));
        return out;
    }

    @Override
    public synchronized List<ProtocolSupport> protocols() {
        List<ProtocolSupport> out = new ArrayList<>(protocols.values());
        out.sort(Comparator.comparing(ProtocolSupport::id));
        return out;
    }

    @Override
    public synchronized Optional<ProtocolSupport> find(String id) {
        return Optional.ofNullable(protocols.get(id));
    }
}
