package io.thingport.network.mqtt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TlsMaterial;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.network.testkit.RecordingListener;
import io.thingport.network.testkit.TestPki;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TLS and X.509 client certificates on the MQTT server, with Paho and mosquitto_pub as real TLS peers. */
class MqttServerTlsTest {
    private static final TestPki PKI = TestPki.get();

    private final RecordingListener listener = new RecordingListener();
    private NetworkComponent server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(String clientAuth) {
        server = new MqttServerProvider().start(PKI.tlsConfig("tls", "mqtt-server",
                Map.of("host", "127.0.0.1", "port", "0", "clientAuth", clientAuth)), listener);
    }

    private int port() {
        return server.boundAddress().getPort();
    }

    /** Connects over TLS with {@code clientCertificate} ("client", "rogue" or null) and, if not null, a password. */
    private MqttClient connect(String clientId, String clientCertificate, String password) throws MqttException {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + port(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        SSLContext context = "rogue".equals(clientCertificate) ? presentingAlways("rogue") : PKI.clientContext(clientCertificate);
        options.setSocketFactory(context.getSocketFactory());
        if (password != null) {
            options.setUserName(clientId + "|1");
            options.setPassword(password.toCharArray());
        }
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    /**
     * A client context that presents {@code name} even when the server's list of accepted issuers does not contain its
     * CA (the JDK's key manager would otherwise send no certificate at all), as a malicious client would.
     */
    private static SSLContext presentingAlways(String name) {
        try {
            X509ExtendedKeyManager keys = (X509ExtendedKeyManager) TlsMaterial.fromPem(name, PKI.pem(name + ".crt"),
                    PKI.pem(name + ".key"), null).keyManagerFactory().getKeyManagers()[0];
            X509ExtendedKeyManager always = new X509ExtendedKeyManager() {
                @Override
                public String[] getClientAliases(String keyType, Principal[] issuers) {
                    return new String[] {"key"};
                }

                @Override
                public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                    return "key";
                }

                @Override
                public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                    return "key";
                }

                @Override
                public String[] getServerAliases(String keyType, Principal[] issuers) {
                    return null;
                }

                @Override
                public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                    return null;
                }

                @Override
                public X509Certificate[] getCertificateChain(String alias) {
                    return keys.getCertificateChain(alias);
                }

                @Override
                public PrivateKey getPrivateKey(String alias) {
                    return keys.getPrivateKey(alias);
                }
            };
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {always}, TlsMaterial.trustManagerFactory(List.of(PKI.ca())).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String commonName(AuthRequest login) {
        return login.certificates().get(0).getSubjectX500Principal().getName();
    }

    @Test
    void pahoConnectsOverTlsWithoutAClientCertificate() throws Exception {
        // Verifies the TLS listener with password login: no certificate is handed to the platform.
        start("none");
        MqttClient client = connect("d1", null, "good");
        client.getTopic("/p1/d1/properties/report").publish(new MqttMessage("{\"t\":1}".getBytes(StandardCharsets.UTF_8)))
                .waitForCompletion(5000);
        assertThat(listener.texts()).containsExactly("{\"t\":1}");
        assertThat(listener.logins).hasSize(1);
        assertThat(listener.logins.get(0).clientId()).isEqualTo("d1");
        assertThat(listener.logins.get(0).certificates()).isEmpty();
        client.disconnect();
        client.close();
    }

    @Test
    void trustedClientCertificateIsHandedToTheLogin() throws Exception {
        // Verifies clientAuth=optional: the verified chain (CN=dev-1) reaches authenticate; a client without one still
        // logs in with its password.
        start("optional");
        MqttClient client = connect("anything", "client", null);
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.connections.size() == 1);
        assertThat(listener.logins).hasSize(1);
        assertThat(listener.logins.get(0).certificates()).isNotEmpty();
        assertThat(commonName(listener.logins.get(0))).isEqualTo("CN=dev-1");
        client.getTopic("/p1/dev-1/properties/report").publish(new MqttMessage("{}".getBytes(StandardCharsets.UTF_8)))
                .waitForCompletion(5000);
        assertThat(listener.received).hasSize(1);

        MqttClient passwordOnly = connect("d2", null, "good");
        assertThat(listener.logins).hasSize(2);
        assertThat(listener.logins.get(1).certificates()).isEmpty();
        passwordOnly.disconnect();
        passwordOnly.close();
        client.disconnect();
        client.close();
    }

    @Test
    void rogueClientCertificateIsRefusedAtTheHandshakeWhileAGoodClientConnects() throws Exception {
        // Verifies that a certificate from another CA never reaches the platform and the server keeps serving.
        start("optional");
        assertThatThrownBy(() -> connect("rogue", "rogue", "good")).isInstanceOf(MqttException.class);
        assertThat(listener.logins).as("no CONNECT is read from a failed handshake").isEmpty();
        MqttClient good = connect("good", "client", null);
        assertThat(good.isConnected()).isTrue();
        assertThat(listener.logins).hasSize(1);
        assertThat(commonName(listener.logins.get(0))).isEqualTo("CN=dev-1");
        good.disconnect();
        good.close();
    }

    @Test
    void requiredClientCertificateMissingIsRefused() throws Exception {
        // Verifies clientAuth=require: a client without a certificate is refused before any login, even with a
        // good password; one with the trusted certificate connects.
        start("require");
        assertThat(server.status()).doesNotContain("refused");
        assertThatThrownBy(() -> connect("d1", null, "good")).isInstanceOf(MqttException.class);
        assertThat(listener.logins).isEmpty();
        MqttClient good = connect("d2", "client", null);
        assertThat(good.isConnected()).isTrue();
        good.disconnect();
        good.close();
        // The refusal leaves a trace: counted in the status that iot:network-info shows, with the reason (Paho may
        // try the handshake more than once).
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(server.status())
                .startsWith("listening on " + server.boundAddress() + "; ")
                .containsPattern("; \\d+ TLS handshakes? refused \\(last: /127\\.0\\.0\\.1:\\d+: .+\\)$"));
    }

    @Test
    void plainTextClientOnTheTlsPortIsClosedAndTheServerStaysUp() throws Exception {
        // Verifies that a non-TLS peer fails the handshake without disturbing the server.
        start("none");
        MqttClient plain = new MqttClient("tcp://127.0.0.1:" + port(), "plain", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("plain|1");
        options.setPassword("good".toCharArray());
        options.setConnectionTimeout(5);
        assertThatThrownBy(() -> plain.connect(options)).isInstanceOf(MqttException.class);
        plain.close(true);
        assertThat(listener.logins).isEmpty();
        MqttClient good = connect("d1", null, "good");
        assertThat(good.isConnected()).isTrue();
        good.disconnect();
        good.close();
    }

    @Test
    void mosquittoPubWithAClientCertificate() throws Exception {
        // Verifies a real command-line peer (OpenSSL-based) doing mutual TLS and a QoS 1 publish.
        start("require");
        Process pub = new ProcessBuilder("mosquitto_pub", "--cafile", PKI.file("ca.crt").toString(),
                "--cert", PKI.file("client.crt").toString(), "--key", PKI.file("client.key").toString(),
                "-p", Integer.toString(port()), "-h", "127.0.0.1", "-i", "mosquitto-dev-1", "-q", "1",
                "-t", "/p1/dev-1/properties/report", "-m", "{\"from\":\"mosquitto_pub\"}")
                .redirectErrorStream(true).start();
        assertThat(pub.waitFor(20, TimeUnit.SECONDS)).as("mosquitto_pub finished").isTrue();
        String output = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pub.exitValue()).as("mosquitto_pub exit status; output: " + output).isZero();
        assertThat(listener.texts()).containsExactly("{\"from\":\"mosquitto_pub\"}");

        Process rogue = new ProcessBuilder("mosquitto_pub", "--cafile", PKI.file("ca.crt").toString(),
                "--cert", PKI.file("rogue.crt").toString(), "--key", PKI.file("rogue.key").toString(),
                "-p", Integer.toString(port()), "-h", "127.0.0.1", "-i", "mosquitto-rogue", "-q", "1",
                "-t", "/p1/dev-1/properties/report", "-m", "{\"from\":\"rogue\"}")
                .redirectErrorStream(true).start();
        assertThat(rogue.waitFor(20, TimeUnit.SECONDS)).as("mosquitto_pub with the rogue certificate finished").isTrue();
        assertThat(rogue.exitValue()).as("the rogue certificate is refused").isNotZero();
        assertThat(listener.texts()).containsExactly("{\"from\":\"mosquitto_pub\"}");
        assertThat(listener.logins).hasSize(1);
        assertThat(listener.logins.get(0).clientId()).isEqualTo("mosquitto-dev-1");
        assertThat(commonName(listener.logins.get(0))).isEqualTo("CN=dev-1");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.disconnects.contains("disconnected by the device"));
    }

    @Test
    void clientAuthNeedsACertificate() {
        // Verifies the configuration errors: clientAuth without TLS, and an unknown clientAuth value.
        assertThatThrownBy(() -> new MqttServerProvider().start(new NetworkComponentConfig("plain", "mqtt-server",
                Map.of("host", "127.0.0.1", "port", "0", "clientAuth", "require")), listener))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("network component plain").hasMessageContaining("clientAuth = require needs TLS");
        assertThatThrownBy(() -> new MqttServerProvider().start(PKI.tlsConfig("odd", "mqtt-server",
                Map.of("host", "127.0.0.1", "port", "0", "clientAuth", "sometimes")), listener))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("clientAuth 'sometimes' is not one of");
        assertThatThrownBy(() -> new MqttServerProvider().start(new NetworkComponentConfig("untrusting", "mqtt-server",
                Map.of("host", "127.0.0.1", "port", "0", "clientAuth", "optional"), PKI.server(), List.of()), listener))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("needs certificates to trust");
    }
}
