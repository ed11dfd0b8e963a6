package io.thingport.core.internal.network;

import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.network.GatewayRules.GatewaySpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Decides which device access gateway serves which running network component, as a pure function of the components,
 * the gateways and the live protocols: the {@link Plan} says, per gateway, its state and what to do with what it runs
 * now (attach, swap codecs, re-attach, close). The network manager applies it; applying the plan of an unchanged
 * world does nothing.
 *
 * <p>Gateways are considered in name order, so when two gateways claim a component that cannot be shared, the first
 * by name keeps it and the other fails.
 */
final class GatewayBinder {
    private GatewayBinder() {
    }

    /**
     * A network component as the binder sees it.
     *
     * @param runId a number that changes every time the component starts; 0 while it does not run
     */
    record ComponentView(String type, RunState state, String detail, Transport transport, long runId) {
        boolean running() {
            return runId != 0;
        }
    }

    /**
     * A gateway as the binder sees it.
     *
     * @param spec           its checked configuration, or {@code null} when the configuration was refused
     * @param refusal        why the configuration was refused (when {@code spec} is null)
     * @param attachedRunId  the run of the component its running gateway serves; 0 when nothing runs
     * @param activeProtocol the protocol its running gateway speaks; {@code null} when nothing runs
     */
    record GatewayView(GatewaySpec spec, String refusal, long attachedRunId, ProtocolSupport activeProtocol) {
        boolean active() {
            return activeProtocol != null;
        }
    }

    /** What to do with what a gateway runs now. */
    enum Action {
        /** Nothing runs and nothing should. */
        NONE,
        /** It runs as it should. */
        KEEP,
        /** Start serving the component. */
        ATTACH,
        /** Another revision of the same protocol: new messages use its codecs, the connections stay. */
        SWAP,
        /** Close what runs (the component restarted or changed) and serve the component again. */
        REATTACH,
        /** Close what runs, with {@link Decision#closeReason()}. */
        CLOSE
    }

    /**
     * One gateway's outcome.
     *
     * @param protocol    the protocol to serve with ({@code ATTACH}, {@code SWAP}, {@code REATTACH}, {@code KEEP})
     * @param component   the component to serve
     * @param closeReason why its connections close ({@code CLOSE}, {@code REATTACH})
     */
    record Decision(RunState state, String detail, Action action, ProtocolSupport protocol, String component, String closeReason) {
    }

    /**
     * The plan.
     *
     * @param gateways every gateway's decision, by name
     * @param bound    per running component, the gateways that serve it, in name order
     */
    record Plan(SortedMap<String, Decision> gateways, Map<String, List<String>> bound) {
    }

    static Plan plan(Map<String, ComponentView> components, Map<String, GatewayView> gateways, Map<String, ProtocolSupport> protocols) {
        SortedMap<String, Decision> decisions = new TreeMap<>();
        Map<String, String> claimed = new HashMap<>();
        Map<String, List<String>> bound = new LinkedHashMap<>();
        for (Map.Entry<String, GatewayView> entry : new TreeMap<>(gateways).entrySet()) {
            String id = entry.getKey();
            GatewayView g = entry.getValue();
            Decision d = decide(id, g, components, protocols, claimed);
            decisions.put(id, d);
            if (d.state() == RunState.RUNNING) {
                claimed.putIfAbsent(d.component(), id);
                bound.computeIfAbsent(d.component(), k -> new ArrayList<>()).add(id);
            }
        }
        return new Plan(decisions, bound);
    }

    private static Decision decide(String id, GatewayView g, Map<String, ComponentView> components,
                                   Map<String, ProtocolSupport> protocols, Map<String, String> claimed) {
        GatewaySpec spec = g.spec();
        if (spec == null) {
            return idle(g, RunState.FAILED, g.refusal(), g.refusal());
        }
        if (!spec.enabled()) {
            return idle(g, RunState.DISABLED, "", "gateway " + id + " was disabled");
        }
        ComponentView c = components.get(spec.network());
        ProtocolSupport protocol = protocols.get(spec.protocol());
        String problem;
        RunState state = RunState.WAITING;
        if (c == null) {
            problem = "network component " + spec.network() + " does not exist";
        } else if (protocol == null) {
            problem = "protocol " + spec.protocol() + " is not installed";
        } else if (!c.running()) {
            problem = "network component " + spec.network() + " is " + c.state().wireName()
                    + (c.detail().isEmpty() ? "" : ": " + c.detail());
        } else {
            state = RunState.FAILED;
            problem = GatewayRules.transportMismatch(protocol.id(), protocol.transports(), c.transport(), spec.network());
            if (problem == null) {
                problem = GatewayRules.sharingConflict(spec.network(), c.type(), claimed.get(spec.network()));
            }
        }
        if (problem != null) {
            return idle(g, state, problem, "gateway " + id + " is " + state.wireName() + ": " + problem);
        }
        String detail = "protocol " + protocol.id() + " on " + spec.network();
        Action action;
        if (!g.active()) {
            action = Action.ATTACH;
        } else if (g.attachedRunId() != c.runId()) {
            action = Action.REATTACH;
        } else if (g.activeProtocol() != protocol) {
            action = Action.SWAP;
        } else {
            action = Action.KEEP;
        }
        return new Decision(RunState.RUNNING, detail, action, protocol, spec.network(), "gateway " + id + " was re-bound");
    }

    /** A gateway that serves nothing: what runs closes. */
    private static Decision idle(GatewayView g, RunState state, String detail, String closeReason) {
        return new Decision(state, detail, g.active() ? Action.CLOSE : Action.NONE, null, null, closeReason);
    }
}
