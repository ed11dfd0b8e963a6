package io.thingport.core.internal.network;

import io.thingport.api.ErrorCode;
import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.core.internal.network.GatewayBinder.ComponentView;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One configured network component as the {@link NetworkRuntime} holds it; guarded by the runtime's monitor. */
final class ComponentEntry {
    Map<String, String> properties = Map.of();
    String type = "";
    ComponentRunner.Running running;
    RunState state = RunState.WAITING;
    String detail = "";
    /** The error code of a refused configuration, for the management call that wrote it. */
    ErrorCode error;

    /** Takes the outcome of a start. */
    void started(ComponentRunner.Outcome outcome) {
        running = outcome.running();
        state = outcome.state();
        detail = outcome.detail();
        error = outcome.error();
    }

    ComponentView view() {
        return new ComponentView(type, state, detail, running == null ? null : running.transport(), running == null ? 0 : running.runId());
    }

    NetworkComponentInfo info(String id, List<String> gateways) {
        return new NetworkComponentInfo(id, type, state.wireName(), running != null ? ComponentRunner.status(running.component()) : detail,
                running == null ? 0 : running.component().connectionCount(), new TreeMap<>(properties), gateways);
    }
}
