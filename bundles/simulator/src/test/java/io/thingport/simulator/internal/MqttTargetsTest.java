package io.thingport.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.Product;
import io.thingport.api.model.ThingModel;
import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.NetworkComponentInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MqttTargetsTest {
    private static Product product(String gateway) {
        return new Product("p1", "P", null, "s", false, ThingModel.EMPTY, gateway, null, null);
    }

    private static GatewayInfo gateway(String id, String type, String network, String state) {
        return new GatewayInfo(id, type, network, "official".equals(type) ? "official" : "gizwits", true, "", state, "", 0, List.of());
    }

    private static NetworkComponentInfo component(String id, String type, String detail, Map<String, String> props) {
        return new NetworkComponentInfo(id, type, "running", detail, 0, props, List.of());
    }

    private final Map<String, NetworkComponentInfo> components = Map.of(
            "mqtt", component("mqtt", "mqtt-server", "listening on /0:0:0:0:0:0:0:0:1883", Map.of("port", "1883")),
            "mqtts", component("mqtts", "mqtt-server", "listening on /127.0.0.1:8883", Map.of("port", "8883", "certificate", "srv")),
            "tcp1", component("tcp1", "tcp-server", "listening on /127.0.0.1:9000", Map.of()),
            "mqtt2", component("mqtt2", "mqtt-server", "listening on /127.0.0.1:42001", Map.of("port", "0")));

    @Test
    void picksAnOfficialGatewaysPlainMqttServer() {
        // Verifies that the target is the loopback port of the first running official gateway on a plain mqtt-server.
        // GIVEN gateways on a TLS MQTT server, a TCP server, a custom protocol and a plain MQTT server bound to port 0
        List<GatewayInfo> gateways = List.of(gateway("a-tls", "official", "mqtts", "running"),
                gateway("b-tcp", "official", "tcp1", "running"), gateway("c-custom", "custom", "mqtt", "running"),
                gateway("d-mqtt", "official", "mqtt2", "running"));

        // WHEN a product without its own gateway is located
        MqttTargets.Target t = MqttTargets.locate(product(null), gateways, id -> Optional.ofNullable(components.get(id)));

        // THEN the plain server is chosen at the port it actually listens on
        assertThat(t.component()).isEqualTo("mqtt2");
        assertThat(t.address().getHostString()).isEqualTo("127.0.0.1");
        assertThat(t.address().getPort()).isEqualTo(42001);
    }

    @Test
    void aWildcardBindingIsReachedOnTheLoopbackAndAnAddressAsItIs() {
        // Verifies where a component's status says it listens: a wildcard address on the loopback, an address as it is.
        // GIVEN / WHEN / THEN
        assertThat(MqttTargets.address(components.get("mqtt")).orElseThrow().getHostString()).isEqualTo("127.0.0.1");
        assertThat(MqttTargets.address(component("x", "mqtt-server", "listening on /0.0.0.0:1884", Map.of())).orElseThrow()
                .getHostString()).isEqualTo("127.0.0.1");
        assertThat(MqttTargets.address(component("x", "mqtt-server", "listening on /127.0.0.2:1885", Map.of())).orElseThrow()
                .getHostString()).isEqualTo("127.0.0.2");
        assertThat(MqttTargets.address(component("x", "mqtt-server", "waiting", Map.of("port", "1886"))).orElseThrow().getPort())
                .isEqualTo(1886);
    }

    @Test
    void keepsToTheProductsGatewayAndNamesWhatIsMissing() {
        // Verifies that a product bound to a gateway connects only there, and that a missing server is a clear refusal.
        // GIVEN a product bound to a gateway that is waiting, and another gateway that would do
        List<GatewayInfo> gateways = List.of(gateway("mine", "official", "mqtt", "waiting"),
                gateway("other", "official", "mqtt", "running"));

        // WHEN it is located
        // THEN it is refused as unsupported, naming the gateway, its state and how to create a server
        assertThatThrownBy(() -> MqttTargets.locate(product("mine"), gateways, id -> Optional.ofNullable(components.get(id))))
                .isInstanceOf(ThingportException.class)
                .hasMessageContaining("no running mqtt-server network component serves the official protocol")
                .hasMessageContaining("only through gateway mine")
                .hasMessageContaining("gateway mine is waiting")
                .hasMessageContaining("iot:network-create")
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(MqttTargets.locate(product("other"), gateways, id -> Optional.ofNullable(components.get(id))).address().getPort())
                .isEqualTo(1883);
    }
}
