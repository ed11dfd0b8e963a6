package io.thingport.core.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.network.GatewayBinder.Action;
import io.thingport.core.internal.network.GatewayBinder.ComponentView;
import io.thingport.core.internal.network.GatewayBinder.Decision;
import io.thingport.core.internal.network.GatewayBinder.GatewayView;
import io.thingport.core.internal.network.GatewayBinder.Plan;
import io.thingport.core.internal.network.GatewayRules.GatewaySpec;
import io.thingport.core.internal.protocol.TestProtocol;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayBinderTest {
    private final Map<String, ComponentView> components = new HashMap<>();
    private final Map<String, GatewayView> gateways = new HashMap<>();
    private final Map<String, ProtocolSupport> protocols = new HashMap<>();
    private final ProtocolSupport official = protocol("official", Transport.MQTT, Transport.TCP);

    @Test
    void aNewGatewayAttachesToItsRunningComponent() {
        // Verifies that an enabled gateway whose component runs and whose protocol is live attaches and is bound.
        // GIVEN
        components.put("mqtt", running("mqtt-server", Transport.MQTT, 7));
        gateways.put("gw", idle("official", "mqtt"));
        protocols.put("official", official);
        // WHEN
        Plan plan = GatewayBinder.plan(components, gateways, protocols);
        // THEN
        Decision d = plan.gateways().get("gw");
        assertThat(d.action()).isEqualTo(Action.ATTACH);
        assertThat(d.state()).isEqualTo(RunState.RUNNING);
        assertThat(d.detail()).isEqualTo("protocol official on mqtt");
        assertThat(d.protocol()).isSameAs(official);
        assertThat(plan.bound()).containsEntry("mqtt", List.of("gw"));
    }

    @Test
    void anUnchangedWorldKeepsWhatRuns() {
        // Verifies that planning again with nothing changed leaves a running gateway alone.
        components.put("mqtt", running("mqtt-server", Transport.MQTT, 7));
        gateways.put("gw", new GatewayView(spec("official", "mqtt", true), "", 7, official));
        protocols.put("official", official);
        assertThat(GatewayBinder.plan(components, gateways, protocols).gateways().get("gw").action()).isEqualTo(Action.KEEP);
    }

    @Test
    void anotherRevisionOfTheProtocolSwapsCodecsAndARestartedComponentReattaches() {
        // Verifies that a new protocol object on the same run swaps, and a new run of the component re-attaches.
        ProtocolSupport newer = protocol("official", Transport.MQTT);
        protocols.put("official", newer);
        gateways.put("gw", new GatewayView(spec("official", "mqtt", true), "", 7, official));
        components.put("mqtt", running("mqtt-server", Transport.MQTT, 7));
        Decision swap = GatewayBinder.plan(components, gateways, protocols).gateways().get("gw");
        assertThat(swap.action()).isEqualTo(Action.SWAP);
        assertThat(swap.protocol()).isSameAs(newer);

        components.put("mqtt", running("mqtt-server", Transport.MQTT, 8));
        Decision reattach = GatewayBinder.plan(components, gateways, protocols).gateways().get("gw");
        assertThat(reattach.action()).isEqualTo(Action.REATTACH);
        assertThat(reattach.closeReason()).isEqualTo("gateway gw was re-bound");
    }

    @Test
    void aGatewayWaitsForItsComponentAndProtocolAndClosesWhatRan() {
        // Verifies the waiting states and their wording, and that a gateway that served something closes it.
        gateways.put("gw", new GatewayView(spec("official", "mqtt", true), "", 7, official));
        Decision noComponent = GatewayBinder.plan(components, gateways, protocols).gateways().get("gw");
        assertThat(noComponent.state()).isEqualTo(RunState.WAITING);
        assertThat(noComponent.detail()).isEqualTo("network component mqtt does not exist");
        assertThat(noComponent.action()).isEqualTo(Action.CLOSE);
        assertThat(noComponent.closeReason()).isEqualTo("gateway gw is waiting: network component mqtt does not exist");

        components.put("mqtt", new ComponentView("mqtt-server", RunState.WAITING, "network component type mqtt-server is not installed",
                null, 0));
        assertThat(GatewayBinder.plan(components, gateways, protocols).gateways().get("gw").detail())
                .isEqualTo("protocol official is not installed");
        protocols.put("official", official);
        assertThat(GatewayBinder.plan(components, gateways, protocols).gateways().get("gw").detail())
                .isEqualTo("network component mqtt is waiting: network component type mqtt-server is not installed");
        assertThat(GatewayBinder.plan(components, gateways, protocols).bound()).isEmpty();
    }

    @Test
    void aDisabledOrRefusedGatewayServesNothing() {
        // Verifies that disabled and refused gateways are not bound, and what they ran closes with the reason.
        components.put("mqtt", running("mqtt-server", Transport.MQTT, 7));
        protocols.put("official", official);
        gateways.put("off", new GatewayView(spec("official", "mqtt", false), "", 7, official));
        gateways.put("bad", new GatewayView(null, "gateway bad: network (the network component it uses) is required", 0, null));
        Plan plan = GatewayBinder.plan(components, gateways, protocols);
        assertThat(plan.gateways().get("off").state()).isEqualTo(RunState.DISABLED);
        assertThat(plan.gateways().get("off").action()).isEqualTo(Action.CLOSE);
        assertThat(plan.gateways().get("off").closeReason()).isEqualTo("gateway off was disabled");
        assertThat(plan.gateways().get("bad").state()).isEqualTo(RunState.FAILED);
        assertThat(plan.gateways().get("bad").action()).isEqualTo(Action.NONE);
        assertThat(plan.gateways().get("bad").detail()).contains("network (the network component it uses) is required");
        assertThat(plan.bound()).isEmpty();
    }

    @Test
    void onlyAnMqttServerIsSharedAndTheFirstGatewayByNameKeepsAnyOther() {
        // Verifies the sharing rule: two gateways on an MQTT server both run; on a TCP server the second by name fails.
        components.put("mqtt", running("mqtt-server", Transport.MQTT, 1));
        components.put("tcp", running("tcp-server", Transport.TCP, 2));
        protocols.put("official", official);
        gateways.put("m1", idle("official", "mqtt"));
        gateways.put("m2", idle("official", "mqtt"));
        gateways.put("t2", idle("official", "tcp"));
        gateways.put("t1", idle("official", "tcp"));
        Plan plan = GatewayBinder.plan(components, gateways, protocols);
        assertThat(plan.bound()).containsEntry("mqtt", List.of("m1", "m2")).containsEntry("tcp", List.of("t1"));
        assertThat(plan.gateways().get("t2").state()).isEqualTo(RunState.FAILED);
        assertThat(plan.gateways().get("t2").detail()).isEqualTo("network component tcp (tcp-server) is already used by gateway t1;"
                + " only an mqtt-server may be used by several gateways");
    }

    @Test
    void aProtocolWithoutTheComponentsTransportFails() {
        // Verifies that a gateway whose protocol does not speak the component's transport fails with both named.
        components.put("coap", running("coap-server", Transport.COAP, 3));
        protocols.put("official", official);
        gateways.put("gw", idle("official", "coap"));
        Decision d = GatewayBinder.plan(components, gateways, protocols).gateways().get("gw");
        assertThat(d.state()).isEqualTo(RunState.FAILED);
        assertThat(d.detail()).isEqualTo("protocol official does not support COAP, the transport of network component coap"
                + " (it supports [MQTT, TCP])");
        assertThat(d.action()).isEqualTo(Action.NONE);
    }

    private static ComponentView running(String type, Transport transport, long runId) {
        return new ComponentView(type, RunState.RUNNING, "127.0.0.1:1883", transport, runId);
    }

    private static GatewayView idle(String protocol, String network) {
        return new GatewayView(spec(protocol, network, true), "", 0, null);
    }

    private static GatewaySpec spec(String protocol, String network, boolean enabled) {
        return new GatewaySpec(protocol.equals("official") ? "official" : "custom", network, protocol, enabled, "");
    }

    private static ProtocolSupport protocol(String id, Transport... transports) {
        return new TestProtocol(id, "1", new LinkedHashSet<>(List.of(transports)));
    }
}
