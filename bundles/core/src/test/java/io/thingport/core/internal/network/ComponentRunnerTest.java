package io.thingport.core.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.network.NetworkComponentConfig;
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

    private static NetworkComponentConfig config(Map<String, String> properties) {
        return new NetworkComponentConfig("m", "mqtt-server", properties);
    }
}
