package io.thingport.core.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentRunnerTest {

    @Test
    void aConfigurationRunsHereUnlessDisabledOrMeantForAnotherNode() {
        // Verifies placement: enabled shared components run, disabled ones and other nodes' ones say why not.
        // GIVEN / WHEN / THEN
        assertThat(ComponentRunner.placement("m", "mqtt-server", config(Map.of("type", "mqtt-server")), "n1")).isNull();
        assertThat(ComponentRunner.placement("m", "mqtt-server", config(Map.of("enabled", "false")), "n1").state())
                .isEqualTo(RunState.DISABLED);
        ComponentRunner.Outcome other = ComponentRunner.placement("m", "mqtt-server", config(Map.of("scope", "node", "node", "n2")), "n1");
        assertThat(other.state()).isEqualTo(RunState.OTHER_NODE);
        assertThat(other.detail()).isEqualTo("runs on node n2 only (this node is n1)");
        assertThat(ComponentRunner.placement("m", "mqtt-server", config(Map.of("scope", "node", "node", "n1")), "n1")).isNull();
    }

    @Test
    void aConfigurationThatCannotRunAnywhereIsRefused() {
        // Verifies that a missing type, a node scope without a node and a bad scope are refused with the key named.
        assertThatThrownBy(() -> ComponentRunner.placement("m", "", config(Map.of()), "n1"))
                .hasMessage("network component m: the configuration has no type (e.g. type = mqtt-server)");
        assertThatThrownBy(() -> ComponentRunner.placement("m", "tcp-server", config(Map.of("scope", "node")), "n1"))
                .hasMessage("network component m: scope = node needs node = <node name> (this node is n1)");
        assertThatThrownBy(() -> ComponentRunner.placement("m", "tcp-server", config(Map.of("scope", "planet")), "n1"))
                .hasMessageContaining("scope 'planet' is not one of");
    }

    @Test
    void whatTheRuntimeShowsOfAComponentNeverHoldsItsSecrets() {
        // Verifies that the view iot:network-info prints, built from the configuration as written, masks the broker
        // password and the pre-shared key, whether the type is installed or not, and keeps every other value.
        // GIVEN a component waiting for its type with a long password, and one with a short pre-shared key
        ComponentEntry broker = new ComponentEntry();
        broker.type = "mqtt-client";
        broker.properties = Map.of("type", "mqtt-client", "remoteHost", "10.0.0.5", "username", "thingport",
                "password", "Sup3rSecretBrokerPass-42");
        ComponentEntry coaps = new ComponentEntry();
        coaps.type = "coap-server";
        coaps.properties = Map.of("type", "coap-server", "pskIdentity", "meter-psk", "pskKey", "secret1");
        // WHEN
        NetworkComponentInfo b = broker.info("broker", List.of());
        NetworkComponentInfo c = coaps.info("coaps1", List.of("coaps-gw"));
        // THEN
        assertThat(b.properties()).containsEntry("password", "Sup3\u2026").containsEntry("username", "thingport")
                .containsEntry("remoteHost", "10.0.0.5");
        assertThat(b.toString()).doesNotContain("Sup3rSecret");
        assertThat(c.properties()).containsEntry("pskKey", "****").containsEntry("pskIdentity", "meter-psk");
        assertThat(c.toString()).doesNotContain("secret1");
    }

    private static NetworkComponentConfig config(Map<String, String> properties) {
        return new NetworkComponentConfig("m", "mqtt-server", properties);
    }
}
