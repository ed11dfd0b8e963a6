package io.thingport.core.internal.network;

import io.thingport.api.network.GatewayInfo;
import io.thingport.core.internal.gateway.DeviceGateway;
import io.thingport.core.internal.network.GatewayBinder.Decision;
import io.thingport.core.internal.network.GatewayBinder.GatewayView;
import io.thingport.core.internal.network.GatewayRules.GatewaySpec;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured device access gateway as the {@link NetworkRuntime} holds it, and the applying of the binder's
 * {@link Decision} for it; guarded by the runtime's monitor.
 */
final class GatewayEntry {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayEntry.class);

    private final String id;
    Map<String, String> properties = Map.of();
    /** The checked configuration; {@code null} when it was refused ({@link #detail} says why). */
    GatewaySpec spec;
    RunState state = RunState.WAITING;
    String detail = "";
    /** What serves the component's connections now; {@code null} when nothing does. */
    DeviceGateway active;
    /** The run of the component that {@link #active} serves. */
    long attachedRunId;

    GatewayEntry(String id) {
        this.id = id;
    }

    GatewayView view() {
        return new GatewayView(spec, detail, attachedRunId, active == null ? null : active.protocol());
    }

    /**
     * Carries out the decision: swaps codecs, attaches a new {@link DeviceGateway} to {@code component}, or takes the
     * old one out. Closing the connections of a gateway taken out is added to {@code closings}, to run once every
     * component has its new gateways. A swap that the new protocol revision refuses re-attaches instead.
     */
    void apply(Decision d, ComponentRunner.Running component, DeviceGateway.Services services, List<Runnable> closings) {
        String before = state.wireName() + ": " + detail;
        DeviceGateway old = active;
        switch (d.action()) {
            case NONE, KEEP -> { }
            case CLOSE -> {
                closings.add(() -> old.closeAll(d.closeReason()));
                active = null;
                attachedRunId = 0;
            }
            case SWAP -> {
                try {
                    old.swap(d.protocol());
                    LOG.info("Gateway {} now speaks protocol {} version {}", id, d.protocol().id(), d.protocol().version());
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("Gateway {} cannot use protocol {} version {}: {}", id, d.protocol().id(), d.protocol().version(),
                            e.toString());
                    closings.add(() -> old.closeAll(d.closeReason()));
                    attach(d, component, services);
                }
            }
            case REATTACH -> {
                closings.add(() -> old.closeAll(d.closeReason()));
                attach(d, component, services);
            }
            case ATTACH -> attach(d, component, services);
            default -> throw new IllegalStateException(d.action().toString());
        }
        state = d.state();
        detail = d.detail();
        String now = state.wireName() + ": " + detail;
        if (!now.equals(before)) {
            LOG.info("Gateway {} is {}", id, now);
        }
    }

    private void attach(Decision d, ComponentRunner.Running component, DeviceGateway.Services services) {
        active = new DeviceGateway(id, d.protocol(), component.transport(), services);
        attachedRunId = component.runId();
    }

    /** Closes what it serves (the gateway was deleted). */
    void close(String reason) {
        if (active != null) {
            active.closeAll(reason);
            active = null;
        }
    }

    boolean uses(String component) {
        return component.equals(properties.get("network")) || spec != null && component.equals(spec.network());
    }

    GatewayInfo info(List<String> products) {
        GatewaySpec s = spec;
        return new GatewayInfo(id, s == null ? properties.getOrDefault("type", "") : s.type(),
                s == null ? properties.getOrDefault("network", "") : s.network(),
                s == null ? properties.getOrDefault("protocol", "") : s.protocol(), s == null || s.enabled(),
                s == null ? "" : s.description(), state.wireName(), detail, active == null ? 0 : active.connectionCount(), products);
    }
}
