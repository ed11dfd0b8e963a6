package io.thingport.core.internal.network;

import io.thingport.api.ErrorCode;
import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.NetworkManager;
import io.thingport.api.network.TlsMaterial;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.certs.CertificateStore;
import io.thingport.core.internal.downlink.MessageSender;
import io.thingport.core.internal.events.EventBus;
import io.thingport.core.internal.gateway.ComponentListener;
import io.thingport.core.internal.gateway.DeviceGateway;
import io.thingport.core.internal.gateway.DeviceSessions;
import io.thingport.core.internal.log.DeviceLog;
import io.thingport.core.internal.pipeline.UplinkPipeline;
import io.thingport.core.internal.protocol.ProtocolListener;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import io.thingport.core.internal.usage.GatewayCatalog;
import io.thingport.core.internal.usage.UsageCheck;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
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
 * Runs the configured network components and device access gateways.
 *
 * <p>A component runs when its configuration is enabled (and meant for this node) and its type's
 * {@link NetworkComponentProvider} is installed; a gateway serves a running component when it is enabled and its
 * protocol is installed and supports the component's transport. Both follow their factory configurations
 * ({@code etc/io.thingport.network-*.cfg}, {@code etc/io.thingport.gateway-*.cfg}) and the comings and goings of
 * providers and protocols. The management methods write those configurations through ConfigurationAdmin and wait
 * until they are applied; a change the platform refuses is rolled back.
 */
@Component(service = {NetworkManagerImpl.class, NetworkManager.class, ProtocolListener.class, UsageCheck.class, GatewayCatalog.class})
public final class NetworkManagerImpl implements NetworkManager, ProtocolListener, UsageCheck, GatewayCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkManagerImpl.class);
    static final String SHAREABLE_TYPE = "mqtt-server";
    static final List<String> GATEWAY_TYPES = List.of("custom", "official");
    static final Set<String> GATEWAY_KEYS = Set.of("name", "type", "network", "protocol", "enabled", "description");
    static final String OFFICIAL_PROTOCOL = "official";
    private static final int MAX_DESCRIPTION = 200;
    private static final long APPLY_TIMEOUT_MS = 30_000;

    private final ProductServiceImpl registry;
    private final DeviceServiceImpl devices;
    private final CertificateStore certificates;
    private final ConfigurationAdmin configAdmin;
    private final DeviceGateway.Services services;
    private final ExecutorService workers;
    private final Map<String, NetworkComponentProvider> providers = new LinkedHashMap<>();
    private final Map<String, ProtocolSupport> protocols = new LinkedHashMap<>();
    private final Map<String, ComponentEntry> components = new TreeMap<>();
    private final Map<String, GatewayEntry> gateways = new TreeMap<>();
    private boolean active = true;

    private static final class ComponentEntry {
        Map<String, String> properties = Map.of();
        String type = "";
        NetworkComponent running;
        ComponentListener listener;
        Transport transport;
        String state = "waiting";
        String detail = "";
        ErrorCode error;
    }

    private static final class GatewayEntry {
        Map<String, String> properties = Map.of();
        String type = "";
        String network = "";
        String protocolId = "";
        String description = "";
        boolean enabled = true;
        boolean valid;
        String state = "waiting";
        String detail = "";
        DeviceGateway active;
        ComponentListener attachedTo;
        ProtocolSupport activeProtocol;
    }

    @Activate
    public NetworkManagerImpl(@Reference ProductServiceImpl registry, @Reference DeviceSessions sessions, @Reference DeviceLog log,
                              @Reference DeviceServiceImpl devices,
                              @Reference UplinkPipeline pipeline, @Reference MessageSender sender, @Reference EventBus events,
                              @Reference CertificateStore certificates, @Reference ConfigurationAdmin configAdmin) {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "thingport-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.registry = registry;
        this.devices = devices;
        this.certificates = certificates;
        this.configAdmin = configAdmin;
        this.services = new DeviceGateway.Services(registry, devices, sessions, log, pipeline, sender, events, workers);
    }

    @Deactivate
    synchronized void close() {
        active = false;
        components.forEach(this::stop);
        workers.shutdown();
    }

    // ------------------------------------------------------------------ providers and protocols

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
                    e.state = "waiting";
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

    /** The gateways configured with a protocol, enabled or not (a protocol package cannot be deleted under them). */
    private synchronized List<String> gatewaysUsingProtocol(String protocolId) {
        List<String> out = new ArrayList<>();
        gateways.forEach((id, g) -> {
            if (g.valid && g.protocolId.equals(protocolId)) {
                out.add(id);
            }
        });
        return out;
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
        GatewayEntry g = gateways.computeIfAbsent(id, k -> new GatewayEntry());
        if (g.properties.equals(properties)) {
            notifyAll();
            return;
        }
        g.properties = Map.copyOf(properties);
        parseGateway(id, g);
        bindGateways();
        notifyAll();
    }

    synchronized void removeGateway(String id) {
        GatewayEntry g = gateways.remove(id);
        if (g != null) {
            bindGateways();
            detach(g, "gateway " + id + " was deleted");
        }
        notifyAll();
    }

    // ------------------------------------------------------------------ running components

    private void start(String id, ComponentEntry e) {
        e.error = null;
        if (!active) {
            return;
        }
        try {
            NetworkComponentConfig plain = new NetworkComponentConfig(id, e.type.isEmpty() ? "?" : e.type, e.properties);
            if (e.type.isEmpty()) {
                throw ThingportException.invalidArgument("network component " + id + ": the configuration has no type (e.g. type = mqtt-server)");
            }
            if (!plain.bool("enabled", true)) {
                set(e, "disabled", "");
                return;
            }
            String scope = plain.choice("scope", "shared", Set.of("shared", "node"));
            if (scope.equals("node")) {
                String node = plain.string("node", null);
                if (node == null) {
                    throw ThingportException.invalidArgument("network component " + id + ": scope = node needs node = <node name>"
                            + " (this node is " + devices.node() + ")");
                }
                if (!node.equals(devices.node())) {
                    set(e, "other-node", "runs on node " + node + " only (this node is " + devices.node() + ")");
                    return;
                }
            }
            NetworkComponentProvider provider = providers.get(e.type);
            if (provider == null) {
                set(e, "waiting", "network component type " + e.type + " is not installed (installed: " + providers.keySet() + ")");
                return;
            }
            TlsMaterial certificate = plain.string("certificate", null) == null ? null : material(id, plain.string("certificate", null));
            List<X509Certificate> trusted = plain.string("trust", null) != null ? material(id, plain.string("trust", null)).chain()
                    : certificate != null ? certificate.caChain() : List.of();
            NetworkComponentConfig config = new NetworkComponentConfig(id, e.type, e.properties, certificate, trusted);
            ComponentListener listener = new ComponentListener(id, services.log());
            e.running = provider.start(config, listener);
            e.listener = listener;
            e.transport = provider.transport();
            set(e, "running", status(e.running));
            LOG.info("Network component {} ({}) running on {}", id, e.type, e.detail);
        } catch (ThingportException ex) {
            e.error = ex.code();
            set(e, "failed", ex.getMessage());
            LOG.error("Network component {} cannot start: {}", id, ex.getMessage());
        } catch (RuntimeException ex) {
            e.error = ErrorCode.INTERNAL;
            set(e, "failed", ex.toString());
            LOG.error("Network component {} cannot start", id, ex);
        }
    }

    private TlsMaterial material(String componentId, String certificateName) {
        return certificates.material(certificateName).orElseThrow(() -> ThingportException.invalidArgument("network component "
                + componentId + ": certificate " + certificateName + " does not exist (see iot:cert-list)"));
    }

    private static void set(ComponentEntry e, String state, String detail) {
        e.state = state;
        e.detail = detail;
    }

    private void stop(String id, ComponentEntry e) {
        if (e.running == null) {
            return;
        }
        try {
            e.running.close();
        } catch (RuntimeException ex) {
            LOG.warn("Network component {} did not stop cleanly: {}", id, ex.toString());
        }
        e.running = null;
        e.listener = null;
        set(e, "waiting", "stopped");
        LOG.info("Network component {} stopped", id);
    }

    // ------------------------------------------------------------------ gateways

    private void parseGateway(String id, GatewayEntry g) {
        g.valid = false;
        Map<String, String> p = g.properties;
        try {
            for (String key : p.keySet()) {
                if (!GATEWAY_KEYS.contains(key)) {
                    throw ThingportException.invalidArgument("gateway " + id + ": unknown key '" + key + "' (a gateway knows "
                            + new java.util.TreeSet<>(GATEWAY_KEYS) + ")");
                }
            }
            NetworkComponentConfig values = new NetworkComponentConfig(id, "gateway", p);
            g.type = values.choice("type", "", Set.copyOf(GATEWAY_TYPES));
            g.network = values.string("network", "");
            if (g.network.isEmpty()) {
                throw ThingportException.invalidArgument("gateway " + id + ": network (the network component it uses) is required");
            }
            String protocol = values.string("protocol", null);
            if (g.type.equals("official")) {
                if (protocol != null && !protocol.equals(OFFICIAL_PROTOCOL)) {
                    throw ThingportException.invalidArgument("gateway " + id + ": an official gateway speaks the official protocol, not "
                            + protocol + " (use type = custom)");
                }
                protocol = OFFICIAL_PROTOCOL;
            } else if (protocol == null) {
                throw ThingportException.invalidArgument("gateway " + id + ": a custom gateway needs protocol = <protocol id>");
            }
            g.protocolId = protocol;
            g.enabled = values.bool("enabled", true);
            g.description = values.string("description", "");
            g.valid = true;
        } catch (ThingportException e) {
            g.state = "failed";
            g.detail = e.getMessage();
            LOG.error("Gateway {}: {}", id, e.getMessage());
        }
    }

    /** Recomputes which gateway serves which running component, attaching and detaching them. */
    private void bindGateways() {
        Map<String, String> before = new HashMap<>();
        gateways.forEach((id, g) -> before.put(id, g.state + ": " + g.detail));
        Map<String, String> claimed = new HashMap<>();
        Map<ComponentListener, List<DeviceGateway>> bound = new HashMap<>();
        List<Runnable> closings = new ArrayList<>();
        for (Map.Entry<String, GatewayEntry> entry : gateways.entrySet()) {
            String id = entry.getKey();
            GatewayEntry g = entry.getValue();
            ComponentEntry c = g.valid ? components.get(g.network) : null;
            ProtocolSupport protocol = g.valid ? protocols.get(g.protocolId) : null;
            String why = null;
            if (!g.valid) {
                why = g.detail;
            } else if (!g.enabled) {
                g.state = "disabled";
                g.detail = "";
                why = "gateway " + id + " was disabled";
            } else if (c == null) {
                waiting(g, "network component " + g.network + " does not exist");
            } else if (protocol == null) {
                waiting(g, "protocol " + g.protocolId + " is not installed");
            } else if (c.running == null) {
                waiting(g, "network component " + g.network + " is " + c.state + (c.detail.isEmpty() ? "" : ": " + c.detail));
            } else if (!protocol.transports().contains(c.transport)) {
                g.state = "failed";
                g.detail = "protocol " + protocol.id() + " does not support " + c.transport + " (it supports " + protocol.transports() + ")";
            } else if (!c.type.equals(SHAREABLE_TYPE) && claimed.containsKey(g.network)) {
                g.state = "failed";
                g.detail = "network component " + g.network + " (" + c.type + ") is already used by gateway " + claimed.get(g.network)
                        + "; only an " + SHAREABLE_TYPE + " may be used by several gateways";
            } else {
                claimed.putIfAbsent(g.network, id);
                if (g.active != null && g.attachedTo == c.listener && g.activeProtocol != protocol) {
                    // Another version of the same protocol: new messages use its codecs, connections stay.
                    try {
                        g.active.swap(protocol);
                        g.activeProtocol = protocol;
                        LOG.info("Gateway {} now speaks protocol {} version {}", id, protocol.id(), protocol.version());
                    } catch (RuntimeException | LinkageError e) {
                        LOG.error("Gateway {} cannot use protocol {} version {}: {}", id, protocol.id(), protocol.version(), e.toString());
                    }
                }
                if (g.active != null && (g.attachedTo != c.listener || g.activeProtocol != protocol)) {
                    DeviceGateway old = g.active;
                    closings.add(() -> old.closeAll("gateway " + id + " was re-bound"));
                    g.active = null;
                }
                if (g.active == null) {
                    g.active = new DeviceGateway(id, protocol, c.transport, services);
                    g.attachedTo = c.listener;
                    g.activeProtocol = protocol;
                }
                g.state = "running";
                g.detail = "protocol " + protocol.id() + " on " + g.network;
                bound.computeIfAbsent(c.listener, k -> new ArrayList<>()).add(g.active);
                continue;
            }
            if (g.active != null) {
                DeviceGateway old = g.active;
                String reason = why != null ? why : "gateway " + id + " is " + g.state + ": " + g.detail;
                closings.add(() -> old.closeAll(reason));
                g.active = null;
                g.attachedTo = null;
                g.activeProtocol = null;
            }
        }
        for (ComponentEntry c : components.values()) {
            if (c.listener != null) {
                c.listener.gateways(bound.getOrDefault(c.listener, List.of()));
            }
        }
        gateways.forEach((id, g) -> {
            String now = g.state + ": " + g.detail;
            if (!now.equals(before.get(id))) {
                LOG.info("Gateway {} is {}", id, now);
            }
        });
        closings.forEach(Runnable::run);
    }

    private static void waiting(GatewayEntry g, String why) {
        g.state = "waiting";
        g.detail = why;
    }

    private static void detach(GatewayEntry g, String reason) {
        if (g.active != null) {
            g.active.closeAll(reason);
            g.active = null;
        }
    }

    @Override
    public synchronized List<String> users(UsageCheck.Kind kind, String name) {
        return switch (kind) {
            case CERTIFICATE -> componentsUsingCertificate(name);
            case PROTOCOL -> gatewaysUsingProtocol(name);
        };
    }

    @Override
    public synchronized boolean exists(String name) {
        return gateways.containsKey(name);
    }

    synchronized List<String> componentsUsingCertificate(String certificate) {
        List<String> out = new ArrayList<>();
        components.forEach((id, e) -> {
            if (certificate.equals(e.properties.get("certificate")) || certificate.equals(e.properties.get("trust"))) {
                out.add(id);
            }
        });
        return out;
    }

    private List<String> gatewaysUsing(String component) {
        List<String> out = new ArrayList<>();
        gateways.forEach((id, g) -> {
            if (component.equals(g.network) || component.equals(g.properties.get("network"))) {
                out.add(id);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ NetworkManager

    @Override
    public synchronized List<NetworkComponentInfo> components() {
        List<NetworkComponentInfo> out = new ArrayList<>();
        components.forEach((id, e) -> out.add(info(id, e)));
        return out;
    }

    @Override
    public synchronized Optional<NetworkComponentInfo> component(String name) {
        ComponentEntry e = components.get(name);
        return e == null ? Optional.empty() : Optional.of(info(name, e));
    }

    private static String status(NetworkComponent running) {
        try {
            return running.status();
        } catch (RuntimeException ex) {
            return String.valueOf(running.boundAddress());
        }
    }

    private NetworkComponentInfo info(String id, ComponentEntry e) {
        return new NetworkComponentInfo(id, e.type, e.state, e.running != null ? status(e.running) : e.detail, e.running == null ? 0 : e.running.connectionCount(),
                new TreeMap<>(e.properties), gatewaysUsing(id));
    }

    @Override
    public synchronized Map<String, String> types() {
        Map<String, String> out = new TreeMap<>();
        providers.forEach((type, p) -> out.put(type, p.transport().name()));
        return out;
    }

    @Override
    public NetworkComponentInfo create(String name, String type, Map<String, String> properties) {
        Identifiers.requireName("network component name", name);
        Map<String, String> wanted = new TreeMap<>(trimmed(properties));
        wanted.remove("name");
        String t = type == null ? "" : type.trim();
        if (wanted.containsKey("type") && !wanted.get("type").equals(t)) {
            throw ThingportException.invalidArgument("network component " + name + ": type is given twice (" + t + " and "
                    + wanted.get("type") + ")");
        }
        wanted.put("type", t);
        synchronized (this) {
            if (components.containsKey(name)) {
                throw new ThingportException(ErrorCode.CONFLICT, "network component " + name + " already exists");
            }
            if (!providers.containsKey(t)) {
                throw ThingportException.invalidArgument("network component " + name + ": unknown type '" + t + "' (installed types: "
                        + String.join(", ", new java.util.TreeSet<>(providers.keySet())) + ")");
            }
        }
        checkCertificates(name, wanted);
        Runnable undo = writeNew(NetworkComponentConfiguration.FACTORY_PID, name, wanted, "network component created by iot:network-create");
        ComponentSnapshot result = awaitComponent(name, wanted);
        if (result.failed()) {
            undo.run();
            awaitComponentGone(name);
            throw new ThingportException(result.error(), result.info().detail());
        }
        return result.info();
    }

    @Override
    public NetworkComponentInfo update(String name, Map<String, String> set, Set<String> unset) {
        Configuration c = findConfiguration(NetworkComponentConfiguration.FACTORY_PID, name)
                .orElseThrow(() -> ThingportException.notFound("network component", name));
        Map<String, String> old = new TreeMap<>(NetworkComponentConfiguration.userKeys(toMap(c.getProperties())));
        Map<String, String> wanted = new TreeMap<>(old);
        Map<String, String> changes = trimmed(set);
        if ((changes.containsKey("type") && !changes.get("type").equals(old.get("type"))) || unset.contains("type")) {
            throw ThingportException.invalidArgument("network component " + name + ": the type cannot be changed (delete the component"
                    + " and create a new one)");
        }
        if (changes.containsKey("name") || unset.contains("name")) {
            throw ThingportException.invalidArgument("network component " + name + ": the name cannot be changed");
        }
        wanted.putAll(changes);
        unset.forEach(wanted::remove);
        checkCertificates(name, wanted);
        Runnable undo = writeChange(c, wanted);
        ComponentSnapshot result = awaitComponent(name, wanted);
        if (result.failed()) {
            undo.run();
            awaitComponent(name, old);
            throw new ThingportException(result.error(), result.info().detail() + " (the previous configuration was kept)");
        }
        return result.info();
    }

    @Override
    public NetworkComponentInfo setEnabled(String name, boolean enabled) {
        return update(name, Map.of("enabled", String.valueOf(enabled)), Set.of());
    }

    @Override
    public void delete(String name) {
        Configuration c = findConfiguration(NetworkComponentConfiguration.FACTORY_PID, name)
                .orElseThrow(() -> ThingportException.notFound("network component", name));
        synchronized (this) {
            List<String> using = gatewaysUsing(name);
            if (!using.isEmpty()) {
                throw new ThingportException(ErrorCode.CONFLICT, "network component " + name + " is used by gateway(s) "
                        + String.join(", ", using) + ": delete them or move them to another component first");
            }
        }
        remove(c);
        awaitComponentGone(name);
    }

    private void checkCertificates(String name, Map<String, String> properties) {
        for (String key : List.of("certificate", "trust")) {
            String cert = properties.get(key);
            if (cert != null && !cert.isBlank() && certificates.find(cert).isEmpty()) {
                throw ThingportException.invalidArgument("network component " + name + ": " + key + " names certificate " + cert
                        + ", which does not exist (see iot:cert-list)");
            }
        }
    }

    private record ComponentSnapshot(NetworkComponentInfo info, ErrorCode error) {
        boolean failed() {
            return info.state().equals("failed");
        }
    }

    private synchronized ComponentSnapshot awaitComponent(String name, Map<String, String> wanted) {
        long deadline = System.currentTimeMillis() + APPLY_TIMEOUT_MS;
        while (true) {
            ComponentEntry e = components.get(name);
            if (e != null && e.properties.equals(wanted)) {
                return new ComponentSnapshot(info(name, e), e.error == null ? ErrorCode.INVALID_ARGUMENT : e.error);
            }
            waitUntil(deadline, "network component " + name + " (expected " + wanted + ", the platform has "
                    + (e == null ? "no such component" : e.properties + " " + e.state) + ")");
        }
    }

    private synchronized void awaitComponentGone(String name) {
        long deadline = System.currentTimeMillis() + APPLY_TIMEOUT_MS;
        while (components.containsKey(name)) {
            waitUntil(deadline, "network component " + name);
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

    // ------------------------------------------------------------------ gateways (served as GatewayManager by GatewayManagerImpl)

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
        return new GatewayInfo(id, g.properties.getOrDefault("type", g.type), g.properties.getOrDefault("network", g.network),
                g.protocolId.isEmpty() ? g.properties.getOrDefault("protocol", "") : g.protocolId, g.enabled, g.description,
                g.state, g.detail, g.active == null ? 0 : g.active.connectionCount(), registry.productsOfGateway(id));
    }

    GatewayInfo createGateway(String name, String type, String network, String protocol, String description) {
        Identifiers.requireName("gateway name", name);
        String t = type == null ? "" : type.trim();
        if (!GATEWAY_TYPES.contains(t)) {
            throw ThingportException.invalidArgument("gateway " + name + ": unknown type '" + t + "' (types: "
                    + String.join(", ", GATEWAY_TYPES) + ")");
        }
        String p = protocol == null || protocol.isBlank() ? null : protocol.trim();
        if (t.equals("official")) {
            if (p != null && !p.equals(OFFICIAL_PROTOCOL)) {
                throw ThingportException.invalidArgument("gateway " + name + ": an official gateway speaks the official protocol, not "
                        + p + " (use type custom)");
            }
            p = OFFICIAL_PROTOCOL;
        } else if (p == null) {
            throw ThingportException.invalidArgument("gateway " + name + ": a custom gateway needs a protocol (see iot:protocol-list)");
        }
        Map<String, String> wanted = new TreeMap<>();
        wanted.put("type", t);
        wanted.put("network", network == null ? "" : network.trim());
        wanted.put("protocol", p);
        String d = checkDescription(name, description);
        if (!d.isEmpty()) {
            wanted.put("description", d);
        }
        synchronized (this) {
            if (gateways.containsKey(name)) {
                throw new ThingportException(ErrorCode.CONFLICT, "gateway " + name + " already exists");
            }
            checkBinding(name, wanted.get("network"), p);
        }
        writeNew(GatewayConfiguration.FACTORY_PID, name, wanted, "gateway created by iot:gateway-create");
        return awaitGateway(name, wanted);
    }

    GatewayInfo updateGateway(String name, String network, String protocol, String description) {
        Configuration c = findConfiguration(GatewayConfiguration.FACTORY_PID, name)
                .orElseThrow(() -> ThingportException.notFound("gateway", name));
        Map<String, String> wanted = new TreeMap<>(NetworkComponentConfiguration.userKeys(toMap(c.getProperties())));
        String type = wanted.getOrDefault("type", "");
        if (protocol != null && !protocol.isBlank() && !protocol.trim().equals(wanted.get("protocol"))) {
            if (type.equals("official")) {
                throw ThingportException.invalidArgument("gateway " + name + ": an official gateway always speaks the official protocol");
            }
            List<String> products = registry.productsOfGateway(name);
            if (!products.isEmpty()) {
                throw new ThingportException(ErrorCode.CONFLICT, "gateway " + name + ": its protocol cannot change once a product"
                        + " references it (products: " + String.join(", ", products) + ")");
            }
            wanted.put("protocol", protocol.trim());
        }
        if (network != null && !network.isBlank()) {
            wanted.put("network", network.trim());
        }
        if (description != null) {
            String d = checkDescription(name, description);
            if (d.isEmpty()) {
                wanted.remove("description");
            } else {
                wanted.put("description", d);
            }
        }
        synchronized (this) {
            checkBinding(name, wanted.get("network"), wanted.get("protocol"));
        }
        writeChange(c, wanted);
        return awaitGateway(name, wanted);
    }

    GatewayInfo setGatewayEnabled(String name, boolean enabled) {
        Configuration c = findConfiguration(GatewayConfiguration.FACTORY_PID, name)
                .orElseThrow(() -> ThingportException.notFound("gateway", name));
        Map<String, String> wanted = new TreeMap<>(NetworkComponentConfiguration.userKeys(toMap(c.getProperties())));
        wanted.put("enabled", String.valueOf(enabled));
        writeChange(c, wanted);
        return awaitGateway(name, wanted);
    }

    void deleteGateway(String name) {
        Configuration c = findConfiguration(GatewayConfiguration.FACTORY_PID, name)
                .orElseThrow(() -> ThingportException.notFound("gateway", name));
        List<String> products = registry.productsOfGateway(name);
        if (!products.isEmpty()) {
            throw new ThingportException(ErrorCode.CONFLICT, "gateway " + name + " is referenced by product(s) "
                    + String.join(", ", products) + ": bind them to another gateway first (iot:product-gateway)");
        }
        remove(c);
        synchronized (this) {
            long deadline = System.currentTimeMillis() + APPLY_TIMEOUT_MS;
            while (gateways.containsKey(name)) {
                waitUntil(deadline, "gateway " + name);
            }
        }
    }

    private static String checkDescription(String name, String description) {
        String d = description == null ? "" : description.trim();
        if (d.length() > MAX_DESCRIPTION) {
            throw ThingportException.invalidArgument("gateway " + name + ": description is longer than " + MAX_DESCRIPTION + " characters");
        }
        return d;
    }

    /** The seed rules a new binding must keep; called with the lock held. */
    private void checkBinding(String gateway, String network, String protocolId) {
        ComponentEntry c = components.get(network);
        if (c == null) {
            throw ThingportException.notFound("network component", network);
        }
        if (!c.type.equals(SHAREABLE_TYPE)) {
            for (Map.Entry<String, GatewayEntry> other : gateways.entrySet()) {
                if (!other.getKey().equals(gateway) && network.equals(other.getValue().properties.get("network"))) {
                    throw new ThingportException(ErrorCode.CONFLICT, "network component " + network + " (" + c.type
                            + ") is already used by gateway " + other.getKey() + "; only an " + SHAREABLE_TYPE
                            + " may be used by several gateways");
                }
            }
        }
        ProtocolSupport protocol = protocols.get(protocolId);
        NetworkComponentProvider provider = providers.get(c.type);
        if (protocol != null && provider != null && !protocol.transports().contains(provider.transport())) {
            throw ThingportException.invalidArgument("gateway " + gateway + ": protocol " + protocolId + " does not support "
                    + provider.transport() + ", the transport of network component " + network + " (it supports "
                    + protocol.transports() + ")");
        }
    }

    private synchronized GatewayInfo awaitGateway(String name, Map<String, String> wanted) {
        long deadline = System.currentTimeMillis() + APPLY_TIMEOUT_MS;
        while (true) {
            GatewayEntry g = gateways.get(name);
            if (g != null && g.properties.equals(wanted)) {
                return info(name, g);
            }
            waitUntil(deadline, "gateway " + name);
        }
    }

    // ------------------------------------------------------------------ ConfigurationAdmin

    /**
     * Writes a new configuration: its {@code etc/} file when the platform runs in Karaf (the file installer turns it
     * into the configuration), else a ConfigurationAdmin configuration. Returns what removes it again.
     */
    private Runnable writeNew(String factoryPid, String name, Map<String, String> values, String header) {
        Optional<java.nio.file.Path> etc = ConfigFiles.etc();
        if (etc.isPresent()) {
            java.nio.file.Path file = ConfigFiles.file(etc.get(), factoryPid, name);
            ConfigFiles.create(file, values, header);
            return () -> removeCreated(factoryPid, name, file);
        }
        try {
            Configuration c = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
            c.update(new Hashtable<>(values));
            return () -> remove(c);
        } catch (IOException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot create the configuration of " + name + ": " + e.getMessage());
        }
    }

    /**
     * Replaces a configuration's keys with {@code values} through ConfigurationAdmin, which applies it at once; Karaf's
     * file installer writes the change back into the configuration's {@code etc/} file (keeping its comments). Returns
     * what restores the previous keys.
     */
    private Runnable writeChange(Configuration c, Map<String, String> values) {
        Dictionary<String, Object> before = c.getProperties();
        Map<String, String> oldValues = NetworkComponentConfiguration.userKeys(toMap(before));
        write(c, values, before);
        return () -> write(c, oldValues, before);
    }

    /**
     * Takes back a configuration written as a new file: deletes the configuration and the file, and keeps deleting
     * them until both have stayed away for a moment. The file installer saves a configuration it has just read back
     * into its file, on its own thread; when that save comes after the deletion it puts the file back.
     */
    private void removeCreated(String factoryPid, String name, java.nio.file.Path file) {
        long deadline = System.currentTimeMillis() + APPLY_TIMEOUT_MS;
        int quiet = 0;
        boolean first = true;
        while (quiet < 3 && System.currentTimeMillis() < deadline) {
            Optional<Configuration> c = findConfiguration(factoryPid, name);
            if (c.isPresent() || java.nio.file.Files.exists(file)) {
                if (!first) {
                    LOG.info("{} came back after it was deleted (the file installer saved it again); deleting it again", file.getFileName());
                }
                first = false;
                c.ifPresent(NetworkManagerImpl::remove);
                ConfigFiles.delete(file);
                quiet = 0;
            } else {
                quiet++;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Deletes a configuration and its {@code etc/} file. */
    private static void remove(Configuration c) {
        Optional<java.nio.file.Path> file = ConfigFiles.fileOf(c.getProperties() == null ? null
                : c.getProperties().get("felix.fileinstall.filename"));
        file.ifPresent(ConfigFiles::delete);
        try {
            c.delete();
        } catch (IOException | IllegalStateException e) {
            if (file.isEmpty()) {
                throw new ThingportException(ErrorCode.INTERNAL, "cannot delete configuration " + c.getPid() + ": " + e.getMessage());
            }
        }
    }

    private Optional<Configuration> findConfiguration(String factoryPid, String name) {
        try {
            Configuration[] all = configAdmin.listConfigurations("(service.factoryPid=" + factoryPid + ")");
            if (all != null) {
                for (Configuration c : all) {
                    if (c.getProperties() != null && name.equals(NetworkComponentConfiguration.nameOf(factoryPid, toMap(c.getProperties())))) {
                        return Optional.of(c);
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | InvalidSyntaxException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot read the configurations: " + e.getMessage());
        }
    }

    /** Writes {@code values}, keeping the bookkeeping keys (fileinstall's file name) of {@code previous}. */
    private static void write(Configuration c, Map<String, String> values, Dictionary<String, Object> previous) {
        Hashtable<String, Object> dict = new Hashtable<>();
        if (previous != null) {
            for (String key : Collections.list(previous.keys())) {
                if (key.startsWith("felix.")) {
                    dict.put(key, previous.get(key));
                }
            }
        }
        dict.putAll(values);
        try {
            c.update(dict);
        } catch (IOException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot write configuration " + c.getPid() + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> d) {
        Map<String, Object> m = new HashMap<>();
        if (d != null) {
            for (String key : Collections.list(d.keys())) {
                m.put(key, d.get(key));
            }
        }
        return m;
    }

    private static Map<String, String> trimmed(Map<String, String> in) {
        Map<String, String> out = new TreeMap<>();
        in.forEach((k, v) -> out.put(k.trim(), v == null ? "" : v.trim()));
        return out;
    }
}
