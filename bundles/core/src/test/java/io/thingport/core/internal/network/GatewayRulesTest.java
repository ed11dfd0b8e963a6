package io.thingport.core.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.network.GatewayRules.GatewaySpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayRulesTest {

    @Test
    void aFileAndTheShellAreCheckedByTheSameRulesWithTheSameWords() {
        // Verifies that one rule gives one message whether the gateway comes from a file (parse) or iot:gateway-create.
        // GIVEN a custom gateway without a protocol, from both sides
        // WHEN / THEN
        String expected = "gateway g: a custom gateway needs a protocol (see iot:protocol-list)";
        assertThatThrownBy(() -> GatewayRules.parse("g", Map.of("type", "custom", "network", "tcp"))).hasMessage(expected);
        assertThatThrownBy(() -> GatewayRules.newConfiguration("g", "custom", "tcp", null, null)).hasMessage(expected);
        String official = "gateway g: an official gateway speaks the official protocol, not gizwits (use type custom)";
        assertThatThrownBy(() -> GatewayRules.parse("g", Map.of("type", "official", "network", "tcp", "protocol", "gizwits")))
                .hasMessage(official);
        assertThatThrownBy(() -> GatewayRules.newConfiguration("g", "official", "tcp", "gizwits", null)).hasMessage(official);
        String type = "gateway g: unknown type 'cloud' (types: custom, official)";
        assertThatThrownBy(() -> GatewayRules.parse("g", Map.of("type", "cloud", "network", "tcp"))).hasMessage(type);
        assertThatThrownBy(() -> GatewayRules.newConfiguration("g", "cloud", "tcp", null, null)).hasMessage(type);
    }

    @Test
    void aGatewayConfigurationIsParsedWithDefaults() {
        // Verifies the keys of a file: the official protocol is implied, enabled defaults to true, values are trimmed.
        GatewaySpec spec = GatewayRules.parse("g", Map.of("type", " Official ", "network", " mqtt ", "description", " main "));
        assertThat(spec).isEqualTo(new GatewaySpec("official", "mqtt", "official", true, "main"));
        assertThat(GatewayRules.parse("g", Map.of("type", "custom", "network", "tcp", "protocol", "gizwits", "enabled", "off")))
                .isEqualTo(new GatewaySpec("custom", "tcp", "gizwits", false, ""));
    }

    @Test
    void badKeysAndValuesAreRefusedNamingTheKey() {
        // Verifies that unknown keys, a missing network, a bad boolean and a long description are named.
        assertThatThrownBy(() -> GatewayRules.parse("g", Map.of("type", "official", "network", "m", "port", "1")))
                .hasMessageContaining("gateway g: unknown key 'port'");
        assertThatThrownBy(() -> GatewayRules.parse("g", Map.of("type", "official")))
                .hasMessage("gateway g: network (the network component it uses) is required");
        assertThatThrownBy(() -> GatewayRules.parse("g", Map.of("type", "official", "network", "m", "enabled", "maybe")))
                .hasMessage("gateway g: enabled 'maybe' is not true or false");
        assertThatThrownBy(() -> GatewayRules.newConfiguration("g", "official", "m", null, "x".repeat(201)))
                .hasMessage("gateway g: description is longer than 200 characters");
        assertThatThrownBy(() -> GatewayRules.newConfiguration("bad name", "official", "m", null, null))
                .isInstanceOf(ThingportException.class);
    }

    @Test
    void theProtocolOfAnOfficialOrReferencedGatewayCannotChange() {
        // Verifies update rules: official stays official; a custom gateway's protocol is fixed once products use it.
        Map<String, String> official = Map.of("type", "official", "network", "m", "protocol", "official");
        assertThatThrownBy(() -> GatewayRules.changedConfiguration("g", official, null, "gizwits", null, List.of()))
                .hasMessage("gateway g: an official gateway always speaks the official protocol");
        Map<String, String> custom = Map.of("type", "custom", "network", "t", "protocol", "compact");
        assertThatThrownBy(() -> GatewayRules.changedConfiguration("g", custom, null, "gizwits", null, List.of("p1")))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(GatewayRules.changedConfiguration("g", custom, "t2", "gizwits", "d", List.of()))
                .isEqualTo(Map.of("type", "custom", "network", "t2", "protocol", "gizwits", "description", "d"));
        assertThat(GatewayRules.changedConfiguration("g", Map.of("type", "custom", "network", "t", "protocol", "c", "description", "d"),
                null, null, " ", List.of("p1"))).doesNotContainKey("description");
    }

    @Test
    void sharingAndTransportRulesSayWhyOrNothing() {
        // Verifies the binding rules as reasons: null when allowed, the wording the shell and the binder show otherwise.
        assertThat(GatewayRules.sharingConflict("mqtt", "mqtt-server", "other")).isNull();
        assertThat(GatewayRules.sharingConflict("tcp", "tcp-server", null)).isNull();
        assertThat(GatewayRules.sharingConflict("tcp", "tcp-server", "other"))
                .isEqualTo("network component tcp (tcp-server) is already used by gateway other; only an mqtt-server may be used"
                        + " by several gateways");
        assertThat(GatewayRules.transportMismatch("official", Set.of(Transport.MQTT), Transport.MQTT, "m")).isNull();
        assertThat(GatewayRules.transportMismatch("gizwits", Set.of(Transport.MQTT), Transport.COAP, "c"))
                .isEqualTo("protocol gizwits does not support COAP, the transport of network component c (it supports [MQTT])");
    }

    @Test
    void aGatewayReferencedByProductsCannotBeDeleted() {
        // Verifies the delete rule and that it names the products and the way out.
        GatewayRules.checkDelete("g", List.of());
        assertThatThrownBy(() -> GatewayRules.checkDelete("g", List.of("p1", "p2")))
                .hasMessage("gateway g is referenced by product(s) p1, p2: bind them to another gateway first (iot:product-gateway)");
    }
}
