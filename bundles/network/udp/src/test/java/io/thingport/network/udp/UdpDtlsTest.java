package io.thingport.network.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.network.testkit.RecordingListener;
import io.thingport.network.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The UDP component with DTLS (pre-shared key and certificates) against Scandium DTLS clients. */
class UdpDtlsTest {
    private static final int WAIT = 10_000;

    private final RecordingListener listener = new RecordingListener();
    private NetworkComponent server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void startPsk() {
        server = new UdpProvider().start(new NetworkComponentConfig("dtls", "udp", Map.of("host", "127.0.0.1", "port", "0",
                "pskIdentity", "devices", "pskKey", "s3cret-key")), listener);
    }

    private void startX509(String clientAuth) {
        Map<String, String> p = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0", "clientAuth", clientAuth));
        server = new UdpProvider().start(TestPki.get().tlsConfig("dtls", "udp", p), listener);
    }

    @Test
    void pskDeviceLogsInReportsAndGetsDownlinks() throws Exception {
        // Verifies the whole frame flow over DTLS-PSK: login reply, uplink, downlink datagram.
        startPsk();
        try (Devices.Dtls d = Devices.Dtls.psk(server.boundAddress(), "devices", "s3cret-key")) {
            assertThat(d.sendAndWait("login dev-1 good")).isTrue();
            assertThat(d.receive(WAIT)).isEqualTo("auth ok");
            assertThat(d.sendAndWait("{\"t\":1}")).isTrue();
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.texts().equals(List.of("{\"t\":1}")));
            TransportConnection c = listener.connections.get(0);
            c.send(EncodedMessage.of("", "cmd")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(d.receive(WAIT)).isEqualTo("cmd");
        }
    }

    @Test
    void aNewDtlsHandshakeFromTheSameAddressStartsANewLogin() {
        // Verifies that a session is bound to its DTLS association: a new handshake from the same address and port
        // (a rebooted device, or another device behind the same NAT mapping) closes it and logs in again.
        startPsk();
        int port;
        try (Devices.Dtls first = Devices.Dtls.psk(server.boundAddress(), "devices", "s3cret-key")) {
            assertThat(first.sendAndWait("login dev-1 good")).isTrue();
            assertThat(first.receive(WAIT)).isEqualTo("auth ok");
            port = first.localPort();
        }
        try (Devices.Dtls again = Devices.Dtls.psk(server.boundAddress(), "devices", "s3cret-key", port)) {
            assertThat(again.sendAndWait("{\"not\":\"a login\"}")).isTrue();
            assertThat(again.receive(WAIT)).isEqualTo("auth refused");
            assertThat(listener.disconnects).containsExactly("a new DTLS handshake from /127.0.0.1:" + port);
            assertThat(listener.received).isEmpty();
            assertThat(again.sendAndWait("login dev-1 good")).isTrue();
            assertThat(again.receive(WAIT)).isEqualTo("auth ok");
            assertThat(listener.logins).hasSize(3);
        }
    }

    @Test
    void wrongPskNeverReachesThePlatformAndIsCountedInTheStatus() {
        // Verifies that a wrong key or identity fails the DTLS handshake: no login is ever checked, and each refusal is
        // counted in the status with the device's address and why; a right key still works after.
        startPsk();
        String listening = "listening on " + server.boundAddress();
        assertThat(server.status()).isEqualTo(listening);
        try (Devices.Dtls wrong = Devices.Dtls.psk(server.boundAddress(), "devices", "wrong-key")) {
            assertThat(wrong.sendAndWait("login dev-1 good")).isFalse();
            String refused = listening + "; 1 TLS handshake refused (last: /127.0.0.1:" + wrong.localPort()
                    + ": wrong pre-shared key (the handshake failed its MAC check))";
            await().atMost(10, TimeUnit.SECONDS).until(server::status, refused::equals);
        }
        try (Devices.Dtls unknown = Devices.Dtls.psk(server.boundAddress(), "someone", "s3cret-key")) {
            assertThat(unknown.sendAndWait("login dev-1 good")).isFalse();
            String refused = listening + "; 2 TLS handshakes refused (last: /127.0.0.1:" + unknown.localPort() + ": unknown PSK identity)";
            await().atMost(10, TimeUnit.SECONDS).until(server::status, refused::equals);
        }
        assertThat(listener.logins).isEmpty();
        try (Devices.Dtls right = Devices.Dtls.psk(server.boundAddress(), "devices", "s3cret-key")) {
            assertThat(right.sendAndWait("login dev-1 good")).isTrue();
            assertThat(right.receive(WAIT)).isEqualTo("auth ok");
        }
        assertThat(server.status()).startsWith(listening + "; 2 TLS handshakes refused");
    }

    @Test
    void plainDatagramsToADtlsPortAreIgnored() {
        // Verifies that a DTLS component accepts only DTLS: a plain login datagram gets no answer and no login check.
        startPsk();
        try (Devices.Plain plain = new Devices.Plain(server.boundAddress())) {
            plain.send("login dev-1 good");
            assertThat(plain.receive(1000)).isNull();
        }
        assertThat(listener.logins).isEmpty();
    }

    @Test
    void trustedClientCertificateGoesWithTheLogin() {
        // Verifies clientAuth=require: the login frame carries the verified chain (the platform accepts it as its CN).
        startX509("require");
        try (Devices.Dtls d = Devices.Dtls.x509(server.boundAddress(), "client")) {
            assertThat(d.sendAndWait("hello")).isTrue();
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.connections.size() == 1);
            assertThat(listener.logins.get(0).certificates()).isNotEmpty();
            assertThat(listener.logins.get(0).certificates().get(0).getSubjectX500Principal().getName()).contains("CN=dev-1");
            assertThat(new String(listener.logins.get(0).frame(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(d.sendAndWait("{\"t\":2}")).isTrue();
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.texts().equals(List.of("{\"t\":2}")));
        }
    }

    @Test
    void untrustedOrMissingClientCertificateIsRefusedInTheHandshakeAndCountedInTheStatus() {
        // Verifies that another CA's certificate (or none, with require) never completes DTLS and that each refusal is
        // counted in the status with the device's address and the reason; a trusted one works after.
        startX509("require");
        String listening = "listening on " + server.boundAddress();
        try (Devices.Dtls rogue = Devices.Dtls.x509(server.boundAddress(), "rogue")) {
            assertThat(rogue.sendAndWait("login dev-1 good")).isFalse();
            String refused = listening + "; 1 TLS handshake refused (last: /127.0.0.1:" + rogue.localPort() + ": ";
            await().atMost(10, TimeUnit.SECONDS).until(server::status, status -> status.startsWith(refused));
        }
        try (Devices.Dtls none = Devices.Dtls.x509(server.boundAddress(), null)) {
            assertThat(none.sendAndWait("login dev-1 good")).isFalse();
            String refused = listening + "; 2 TLS handshakes refused (last: /127.0.0.1:" + none.localPort()
                    + ": Client Certificate required!)";
            await().atMost(10, TimeUnit.SECONDS).until(server::status, refused::equals);
        }
        assertThat(listener.logins).isEmpty();
        try (Devices.Dtls good = Devices.Dtls.x509(server.boundAddress(), "client")) {
            assertThat(good.sendAndWait("hello")).isTrue();
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.connections.size() == 1);
        }
        assertThat(server.status()).startsWith(listening + "; 2 TLS handshakes refused");
    }

    @Test
    void optionalClientAuthLetsDevicesLogInByFrame() {
        // Verifies clientAuth=optional: a device without a certificate logs in with its login frame.
        startX509("optional");
        try (Devices.Dtls d = Devices.Dtls.x509(server.boundAddress(), null)) {
            assertThat(d.sendAndWait("login dev-7 good")).isTrue();
            assertThat(d.receive(WAIT)).isEqualTo("auth ok");
            assertThat(listener.logins.get(0).certificates()).isEmpty();
        }
    }

    @Test
    void clientAuthNeedsTrustedCertificates() {
        // Verifies that clientAuth without trusted certificates is refused naming the component.
        TestPki pki = TestPki.get();
        assertThatThrownBy(() -> new UdpProvider().start(new NetworkComponentConfig("notrust", "udp",
                Map.of("host", "127.0.0.1", "port", "0", "clientAuth", "require"), pki.server(), List.of()), listener))
                .hasMessageContaining("network component notrust").hasMessageContaining("trust");
    }
}
