package io.thingport.shell.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkManager;
import io.thingport.shell.support.Fakes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkInfoCommandTest {
    private static final String BROKER_PASSWORD = "Sup3rSecretBrokerPass-42";

    @Test
    void theConfigurationIsShownWithoutItsSecrets() throws Exception {
        // Verifies that iot:network-info prints every key of a component's configuration, but of the mqtt-client's broker
        // password and of a pre-shared key only the masked form (at most 4 characters of one of 16 or more, else ****).
        // GIVEN an mqtt-client with a long broker password and a coap-server with a short PSK, as the platform has them
        Map<String, NetworkComponentInfo> components = Map.of(
                "broker", new NetworkComponentInfo("broker", "mqtt-client", "running", "connected to tcp://10.0.0.5:1883", 2,
                        Map.of("type", "mqtt-client", "remoteHost", "10.0.0.5", "username", "thingport", "password", BROKER_PASSWORD),
                        List.of("broker-gw")),
                "coaps1", new NetworkComponentInfo("coaps1", "coap-server", "running", "listening on /0.0.0.0:5684", 0,
                        Map.of("type", "coap-server", "pskIdentity", "meter-psk", "pskKey", "secret1"), List.of()));
        NetworkInfoCommand command = new NetworkInfoCommand();
        command.network = Fakes.service(NetworkManager.class,
                Map.of("component", args -> Optional.ofNullable(components.get((String) args[0]))));

        // WHEN
        command.name = "broker";
        String broker = Fakes.output(command::execute);
        command.name = "coaps1";
        String coaps = Fakes.output(command::execute);

        // THEN
        assertThat(broker).doesNotContain(BROKER_PASSWORD).doesNotContain("Sup3rS")
                .contains("  password = Sup3\u2026", "  remoteHost = 10.0.0.5", "  username = thingport", "Gateways:    broker-gw");
        assertThat(coaps).doesNotContain("secret1").contains("  pskKey = ****", "  pskIdentity = meter-psk");
    }
}
