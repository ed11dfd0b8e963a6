package io.thingport.network.mqtt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TlsMaterial;
import io.thingport.network.testkit.RecordingListener;
import io.thingport.network.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQTT client component over TLS with a client certificate, against mosquitto's TLS listener that requires a
 * certificate issued by the test CA ({@code require_certificate true}).
 */
class MqttClientTlsTest {
    private static final TestPki PKI = TestPki.get();
    private static Mosquitto broker;

    private final RecordingListener listener = MqttClientTest.brokeredListener();
    private final List<MqttClientComponent> components = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        broker = Mosquitto.start(true);
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @AfterEach
    void closeComponents() {
        components.forEach(MqttClientComponent::close);
    }

    private static TlsMaterial clientCertificate() {
        return TlsMaterial.fromPem("client", PKI.pem("client.crt"), PKI.pem("client.key"), PKI.pem("ca.crt"));
    }

    private MqttClientComponent start(String id, Map<String, String> props, TlsMaterial certificate, List<X509Certificate> trusted) {
        MqttClientComponent c = (MqttClientComponent) new MqttClientProvider().start(
                new NetworkComponentConfig(id, "mqtt-client", props, certificate, trusted), listener);
        components.add(c);
        return c;
    }

    private static Map<String, String> tlsProps() {
        return Map.of("remoteHost", "127.0.0.1", "remotePort", Integer.toString(broker.tlsPort), "reconnectDelay", "1");
    }

    @Test
    void mutualTlsWithTheComponentsCertificate() throws Exception {
        // Verifies TLS on by the certificate (tls key left to its default), the broker verified against the trusted CA,
        // and uplinks flowing.
        MqttClientComponent component = start("tls", tlsProps(), clientCertificate(), List.of(PKI.ca()));
        assertThat(component.brokerConnected()).as("connected over TLS; last error: %s", component.lastError()).isTrue();
        MqttClient device = new MqttClient(broker.url(), "dev-tls", new MemoryPersistence());
        device.connect();
        MqttMessage m = new MqttMessage("{\"tls\":1}".getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        device.publish("/p1/d1/properties/report", m);
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.texts().contains("{\"tls\":1}"));
        assertThat(listener.logins.get(0).remoteAddress().getPort()).isEqualTo(broker.tlsPort);
        device.disconnect();
        device.close();
    }

    @Test
    void withoutAClientCertificateTheBrokerRefusesAndTheComponentKeepsTrying() {
        // Verifies that a failed TLS login does not fail the start: the component retries and reports why.
        MqttClientComponent component = start("nocert", withTls(), null, List.of(PKI.ca()));
        assertThat(component.brokerConnected()).isFalse();
        assertThat(component.lastError()).isNotBlank();
        int attempts = component.connectAttempts();
        await().atMost(15, TimeUnit.SECONDS).until(() -> component.connectAttempts() >= attempts + 1);
        assertThat(component.brokerConnected()).isFalse();
    }

    @Test
    void anUntrustedBrokerCertificateIsRefused() {
        // Verifies that the trusted certificates are the only trust: a broker certificate from another CA fails.
        X509Certificate rogueCa = TlsMaterial.fromPem("rogue-ca", PKI.pem("rogue-ca.crt"), null, null).certificate();
        MqttClientComponent component = start("untrusted", tlsProps(), clientCertificate(), List.of(rogueCa));
        assertThat(component.brokerConnected()).isFalse();
        assertThat(component.lastError()).containsIgnoringCase("certif");
    }

    @Test
    void tlsConfigurationErrors() {
        // Verifies INVALID_ARGUMENT for a certificate with tls=false, and for a certificate without its private key.
        Map<String, String> off = Map.of("remoteHost", "127.0.0.1", "tls", "false");
        assertThatThrownBy(() -> start("off", off, clientCertificate(), List.of(PKI.ca())))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("network component off: certificate client is set but tls is false");
        TlsMaterial keyless = TlsMaterial.fromPem("keyless", PKI.pem("client.crt"), null, null);
        assertThatThrownBy(() -> start("keyless", tlsProps(), keyless, List.of(PKI.ca())))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("network component keyless: certificate keyless has no private key");
        assertThat(components).isEmpty();
    }

    private static Map<String, String> withTls() {
        Map<String, String> p = new HashMap<>(tlsProps());
        p.put("tls", "true");
        return p;
    }
}
