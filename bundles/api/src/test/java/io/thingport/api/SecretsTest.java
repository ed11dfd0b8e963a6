package io.thingport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.Product;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.RegisterReply;
import io.thingport.api.model.ThingModel;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.DeviceCredentials;
import io.thingport.api.protocol.ProductCredentials;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {
    /** 24 characters: long enough that its first four are shown. */
    private static final String LONG = "Sup3rSecretBrokerPass-42";
    /** 12 characters: too short to show any of it. */
    private static final String SHORT = "s3cr3t-dev-1";

    @Test
    void showsAtMostFourCharactersOfALongSecretAndNoneOfAShortOne() {
        // Verifies the rule: at least 16 characters show their first 4 and an ellipsis, anything shorter shows ****
        // (whatever its length), and null / empty (which hide nothing) stay as they are.
        assertThat(Secrets.mask(LONG)).isEqualTo("Sup3\u2026");
        assertThat(Secrets.mask("0123456789abcdef")).isEqualTo("0123\u2026");
        assertThat(Secrets.mask("0123456789abcde")).isEqualTo("****");
        assertThat(Secrets.mask(SHORT)).isEqualTo("****");
        assertThat(Secrets.mask("x")).isEqualTo("****");
        assertThat(Secrets.mask("")).isEmpty();
        assertThat(Secrets.mask(null)).isNull();
        // a surrogate pair at the cut is not split: three characters are shown instead
        assertThat(Secrets.mask("abc\uD83D\uDE00defghijklmnopq")).isEqualTo("abc\u2026");
    }

    @Test
    void theRecordsThatHoldASecretNeverPrintIt() {
        // Verifies that the toString() of every API record holding a device or product secret, a login password or a
        // configuration with a broker password / pre-shared key masks it (a record's generated toString prints every
        // component), and still names the rest.
        Device device = new Device("dev-1", "thermo", "Dev 1", true, DeviceState.NEVER_ONLINE, Instant.EPOCH);
        List<Object> holders = List.of(
                new NewDevice("dev-1", "thermo", null, LONG),
                new CreatedDevice(device, LONG),
                new NewProduct("thermo", "Thermo", null, LONG, true, ThingModel.EMPTY),
                new Product("thermo", "Thermo", null, LONG, true, ThingModel.EMPTY, null, null, Instant.EPOCH),
                new DeviceCredentials("dev-1", "thermo", LONG, true),
                new ProductCredentials("thermo", LONG, true),
                new RegisterReply(MessageHeader.of("r1", "thermo", "dev-1", 1L), true, null, null, LONG),
                new AuthRequest(Transport.MQTT, "dev-1", "dev-1|1", LONG.getBytes(StandardCharsets.UTF_8),
                        new InetSocketAddress("127.0.0.1", 1883)),
                AuthRequest.ofFrame(Transport.TCP, ("/auth {\"password\":\"" + LONG + "\"}").getBytes(StandardCharsets.UTF_8),
                        new InetSocketAddress("127.0.0.1", 9000), List.of()),
                new NetworkComponentConfig("broker", "mqtt-client", Map.of("remoteHost", "10.0.0.5", "username", "thingport",
                        "password", LONG)),
                new NetworkComponentInfo("broker", "mqtt-client", "running", "", 0, Map.of("remoteHost", "10.0.0.5",
                        "password", LONG), List.of()));
        for (Object holder : holders) {
            assertThat(holder.toString()).as(holder.getClass().getSimpleName()).doesNotContain(LONG).doesNotContain("Sup3r");
        }
        assertThat(holders.get(0).toString()).isEqualTo("NewDevice[id=dev-1, productId=thermo, name=null, secret=Sup3\u2026, mac=null]");
        assertThat(new DeviceCredentials("dev-1", "thermo", SHORT, true).toString()).doesNotContain("s3cr");
        assertThat(holders.get(9).toString()).contains("remoteHost=10.0.0.5", "username=thingport", "password=Sup3\u2026");
    }

    @Test
    void aComponentsSecretKeysAreMaskedWhereverItsConfigurationIsShown() {
        // Verifies the one list of secret configuration keys: NetworkComponentInfo (what iot:network-info prints) holds
        // them masked whoever builds it, masked() masks them for display, and a typed getter's error does not quote a
        // secret value.
        Map<String, String> udp = Map.of("port", "5684", "pskIdentity", "meter-psk", "pskKey", "0x73656372657431");
        assertThat(NetworkComponentConfig.SECRET_KEYS).containsExactlyInAnyOrder("password", "pskKey", "pushToken", "appSecret",
                "masterKey", "token", "aesKey", "accessKey");
        assertThat(NetworkComponentConfig.masked(udp)).containsExactly(Map.entry("port", "5684"),
                Map.entry("pskIdentity", "meter-psk"), Map.entry("pskKey", "0x73\u2026"));
        NetworkComponentInfo info = new NetworkComponentInfo("coaps1", "coap-server", "running", "", 0,
                Map.of("pskKey", "secret1", "enabled", "true"), List.of());
        assertThat(info.properties()).containsEntry("pskKey", "****").containsEntry("enabled", "true");
        assertThat(info.enabled()).isTrue();
        NetworkComponentConfig config = new NetworkComponentConfig("coaps1", "coap-server", Map.of("pskKey", "not-a-number-secret"));
        assertThatThrownBy(() -> config.integer("pskKey", 0, 0, 10)).hasMessageContaining("pskKey 'not-\u2026'")
                .hasMessageNotContaining("not-a-number-secret");
        assertThatThrownBy(() -> config.bool("pskKey", false)).hasMessageNotContaining("not-a-number-secret");
        assertThatThrownBy(() -> config.choice("pskKey", "a", Set.of("a"))).hasMessageNotContaining("not-a-number-secret");
        assertThatThrownBy(() -> new NetworkComponentConfig("c", "t", Map.of("port", "x")).integer("port", 0, 0, 10))
                .hasMessageContaining("port 'x' is not a whole number");
    }
}
