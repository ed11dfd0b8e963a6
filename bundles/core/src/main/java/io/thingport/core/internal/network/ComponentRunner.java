package io.thingport.core.internal.network;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogService;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TlsMaterial;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.access.SystemEvents;
import io.thingport.core.internal.certs.CertificateServiceImpl;
import io.thingport.core.internal.gateway.ComponentListener;
import io.thingport.core.internal.log.RefusedLogins;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops network components: decides from a configuration whether it runs here (enabled, its node, its type
 * installed), builds its TLS material from the managed certificates, starts it through its provider and reports
 * its state. Holds no state of its own beyond a counter of runs. A start, a failed start and a stop are written to the
 * system log (category {@code component}).
 */
final class ComponentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentRunner.class);
    private static final AtomicLong RUNS = new AtomicLong();

    private final CertificateServiceImpl certificates;
    private final RefusedLogins refusals;
    private final String node;
    private final SystemLogService systemLog;

    /** A started component and the listener it reports to. {@code runId} is unique to this start. */
    record Running(NetworkComponent component, ComponentListener listener, Transport transport, long runId) {
    }

    /**
     * The outcome of a start.
     *
     * @param running the started component, or {@code null} when it does not run
     * @param error   the error code of a refused configuration ({@code FAILED}), else {@code null}
     */
    record Outcome(RunState state, String detail, Running running, ErrorCode error) {
    }

    ComponentRunner(CertificateServiceImpl certificates, RefusedLogins refusals, String node, SystemLogService systemLog) {
        this.certificates = certificates;
        this.refusals = refusals;
        this.node = node;
        this.systemLog = systemLog;
    }

    /** Starts a component if its configuration lets it run on this node, or says why it does not. Never throws. */
    Outcome start(String id, Map<String, String> properties, Map<String, NetworkComponentProvider> providers) {
        String type = properties.getOrDefault("type", "").trim();
        try {
            NetworkComponentConfig plain = new NetworkComponentConfig(id, type.isEmpty() ? "?" : type, properties);
            Outcome notHere = placement(id, type, plain, node);
            if (notHere != null) {
                return notHere;
            }
            NetworkComponentProvider provider = providers.get(type);
            if (provider == null) {
                return new Outcome(RunState.WAITING, "network component type " + type + " is not installed (installed: "
                        + providers.keySet() + ")", null, null);
            }
            TlsMaterial certificate = plain.string("certificate", null) == null ? null
                    : material(id, plain.string("certificate", null));
            List<X509Certificate> trusted = plain.string("trust", null) != null ? material(id, plain.string("trust", null)).chain()
                    : certificate != null ? certificate.caChain() : List.of();
            NetworkComponentConfig config = new NetworkComponentConfig(id, type, properties, certificate, trusted);
            ComponentListener listener = new ComponentListener(id, refusals);
            NetworkComponent component = provider.start(config, listener);
            Running running = new Running(component, listener, provider.transport(), RUNS.incrementAndGet());
            String status = status(component);
            LOG.info("Network component {} ({}) running on {}", id, type, status);
            systemLog.record(SystemEvent.INFO, SystemEvents.COMPONENT, id, "network component started (" + type + "): " + status);
            return new Outcome(RunState.RUNNING, status, running, null);
        } catch (ThingportException ex) {
            LOG.error("Network component {} cannot start: {}", id, ex.getMessage());
            systemLog.record(SystemEvent.ERROR, SystemEvents.COMPONENT, id, "network component failed to start: " + ex.getMessage());
            return new Outcome(RunState.FAILED, ex.getMessage(), null, ex.code());
        } catch (RuntimeException ex) {
            LOG.error("Network component {} cannot start", id, ex);
            systemLog.record(SystemEvent.ERROR, SystemEvents.COMPONENT, id, "network component failed to start: " + ex);
            return new Outcome(RunState.FAILED, ex.toString(), null, ErrorCode.INTERNAL);
        }
    }

    /**
     * Whether a configuration runs on this node: {@code null} when it does, else the outcome that says why not
     * (disabled, meant for another node). Throws for a configuration that cannot run anywhere.
     */
    static Outcome placement(String id, String type, NetworkComponentConfig config, String node) {
        if (type.isEmpty()) {
            throw ThingportException.invalidArgument("network component " + id
                    + ": the configuration has no type (e.g. type = mqtt-server)");
        }
        if (!config.bool("enabled", true)) {
            return new Outcome(RunState.DISABLED, "", null, null);
        }
        if (config.choice("scope", "shared", Set.of("shared", "node")).equals("node")) {
            String wanted = config.string("node", null);
            if (wanted == null) {
                throw ThingportException.invalidArgument("network component " + id + ": scope = node needs node = <node name>"
                        + " (this node is " + node + ")");
            }
            if (!wanted.equals(node)) {
                return new Outcome(RunState.OTHER_NODE, "runs on node " + wanted + " only (this node is " + node + ")", null, null);
            }
        }
        return null;
    }

    /** Stops a running component; a component that fails to stop is logged and forgotten. */
    void stop(String id, Running running) {
        try {
            running.component().close();
        } catch (RuntimeException ex) {
            LOG.warn("Network component {} did not stop cleanly: {}", id, ex.toString());
            systemLog.record(SystemEvent.WARN, SystemEvents.COMPONENT, id, "network component did not stop cleanly: " + ex);
            return;
        }
        LOG.info("Network component {} stopped", id);
        systemLog.record(SystemEvent.INFO, SystemEvents.COMPONENT, id, "network component stopped");
    }

    /** What a running component says of itself (its address, its broker link), or its bound address. */
    static String status(NetworkComponent running) {
        try {
            return running.status();
        } catch (RuntimeException ex) {
            return String.valueOf(running.boundAddress());
        }
    }

    private TlsMaterial material(String componentId, String certificateName) {
        return certificates.material(certificateName).orElseThrow(() -> ThingportException.invalidArgument("network component "
                + componentId + ": certificate " + certificateName + " does not exist (see iot:cert-list)"));
    }
}
