package io.thingport.network.coap;

import static io.thingport.network.coap.CoapTestClients.send;
import static io.thingport.network.coap.CoapTestClients.withCredentials;
import static io.thingport.network.coap.CoapTestClients.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TlsMaterial;
import io.thingport.network.testkit.RecordingListener;
import io.thingport.network.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CoAP server with DTLS (pre-shared key and certificates) against Californium/Scandium DTLS clients. */
class CoapDtlsTest {
    private static final String REPORT = "/p1/dev-1/properties/report";

    private final RecordingListener listener = new RecordingListener();
    private NetworkComponent server;
    private final List<CoapClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(CoapTestClients::close);
        if (server != null) {
            server.close();
        }
    }

    private NetworkComponent startPsk(Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0", "pskIdentity", "devices", "pskKey", "s3cret-key"));
        p.putAll(extra);
        server = new CoapServerProvider().start(new NetworkComponentConfig("dtls", "coap-server", p), listener);
        return server;
    }

    private NetworkComponent startX509(Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0"));
        p.putAll(extra);
        server = new CoapServerProvider().start(TestPki.get().tlsConfig("dtls", "coap-server", p), listener);
        return server;
    }

    private CoapClient keep(CoapClient client) {
        clients.add(client);
        return client;
    }

    /** The local port a client's endpoint got (known once it sent a request). */
    private static int port(CoapClient client) {
        return client.getEndpoint().getAddress().getPort();
    }

    private Request post(String payload, String clientId) {
        Request r = Request.newPost();
        r.setURI("coaps://127.0.0.1:" + server.boundAddress().getPort() + REPORT);
        r.setPayload(payload);
        return clientId == null ? r : withCredentials(r, clientId, "u", "good");
    }

    @Test
    void rightPskWorksAndAWrongOneFailsAndIsCountedInTheStatus() {
        // Verifies DTLS-PSK: the configured identity/key completes the handshake; a wrong key or identity never reaches
        // the platform, and each refusal is counted in the status with the device's address and why.
        startPsk(Map.of());
        String listening = "listening on " + server.boundAddress();
        assertThat(server.status()).isEqualTo(listening);
        CoapClient wrongKey = keep(CoapTestClients.psk("devices", "wrong-key".getBytes(StandardCharsets.UTF_8)));
        wrongKey.setTimeout(5_000L);
        CoapResponse wrong = send(wrongKey, post("{\"n\":0}", "dev-1"));
        assertThat(wrong).isNull();
        String wrongKeyRefused = listening + "; 1 TLS handshake refused (last: /127.0.0.1:" + port(wrongKey)
                + ": wrong pre-shared key (the handshake failed its MAC check))";
        await().atMost(10, TimeUnit.SECONDS).until(server::status, wrongKeyRefused::equals);
        CoapClient wrongIdentity = keep(CoapTestClients.psk("someone", "s3cret-key".getBytes(StandardCharsets.UTF_8)));
        wrongIdentity.setTimeout(5_000L);
        assertThat(send(wrongIdentity, post("{\"n\":0}", "dev-1"))).isNull();
        String wrongIdentityRefused = listening + "; 2 TLS handshakes refused (last: /127.0.0.1:" + port(wrongIdentity)
                + ": unknown PSK identity)";
        await().atMost(10, TimeUnit.SECONDS).until(server::status, wrongIdentityRefused::equals);
        assertThat(listener.logins).isEmpty();
        CoapResponse right = send(keep(CoapTestClients.psk("devices", "s3cret-key".getBytes(StandardCharsets.UTF_8))),
                post("{\"n\":1}", "dev-1"));
        assertThat(right).isNotNull();
        assertThat(right.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(listener.texts()).containsExactly("{\"n\":1}");
        // The PSK is the transport's key only: the credential options are still required.
        CoapResponse noOptions = send(keep(CoapTestClients.psk("devices", "s3cret-key".getBytes(StandardCharsets.UTF_8))),
                post("{}", null));
        assertThat(noOptions.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(server.status()).isEqualTo(wrongIdentityRefused);
    }

    @Test
    void hexPskKeyAndDefaultPort5684() {
        // Verifies pskKey given as 0x-hex bytes, and that the DTLS default port is 5684 (skipped if that port is taken).
        startPsk(Map.of("pskKey", "0x00ff10AB"));
        CoapResponse r = send(keep(CoapTestClients.psk("devices", new byte[] {0x00, (byte) 0xff, 0x10, (byte) 0xab})), post("{}", "dev-1"));
        assertThat(r.getCode()).isEqualTo(ResponseCode.CHANGED);
        server.close();
        server = null;
        try {
            server = new CoapServerProvider().start(new NetworkComponentConfig("dflt", "coap-server",
                    Map.of("host", "127.0.0.1", "pskIdentity", "devices", "pskKey", "k")), listener);
            assertThat(server.boundAddress().getPort()).isEqualTo(5684);
        } catch (ThingportException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        }
    }

    @Test
    void plainCoapToADtlsPortGetsNoAnswer() {
        // Verifies that a DTLS component serves only coaps: a plain request is not answered, DTLS keeps working.
        startPsk(Map.of());
        CoapClient plain = keep(CoapTestClients.plain());
        plain.setTimeout(3_000L);
        Request r = Request.newPost();
        r.setURI("coap://127.0.0.1:" + server.boundAddress().getPort() + REPORT);
        withCredentials(r, "dev-1", "u", "good");
        assertThat(send(plain, r)).isNull();
        assertThat(listener.logins).isEmpty();
        assertThat(send(keep(CoapTestClients.psk("devices", "s3cret-key".getBytes(StandardCharsets.UTF_8))), post("{}", "dev-1")).getCode())
                .isEqualTo(ResponseCode.CHANGED);
    }

    @Test
    void trustedClientCertificateLogsInWithoutOptions() {
        // Verifies clientAuth=require: the verified chain goes to the platform; no options needed (client id empty).
        startX509(Map.of("clientAuth", "require"));
        CoapResponse r = send(keep(CoapTestClients.x509("client")), post("{\"cert\":true}", null));
        assertThat(r).isNotNull();
        assertThat(r.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(listener.logins).hasSize(1);
        assertThat(listener.logins.get(0).clientId()).isEmpty();
        assertThat(listener.logins.get(0).certificates()).isNotEmpty();
        assertThat(listener.logins.get(0).certificates().get(0).getSubjectX500Principal().getName()).contains("CN=dev-1");
        assertThat(listener.received.get(0).message().topic()).isEqualTo(REPORT);
        // The next request presents the session's token (with the certificate): no new login.
        CoapClient again = keep(CoapTestClients.x509("client"));
        assertThat(send(again, withToken(post("{}", null), CoapTestClients.token(r.getResponseText()))).getCode())
                .isEqualTo(ResponseCode.CHANGED);
        assertThat(listener.logins).hasSize(1);
        // Without the token, the certificate logs in again.
        assertThat(send(again, post("{}", null)).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(listener.logins).hasSize(2);
    }

    @Test
    void untrustedOrMissingClientCertificateIsRefusedInTheHandshakeAndCountedInTheStatus() {
        // Verifies that a certificate from another CA (or none, with require) never completes DTLS and that each
        // refusal is counted in the status with the device's address and the reason; a trusted client still works after.
        startX509(Map.of("clientAuth", "require"));
        String listening = "listening on " + server.boundAddress();
        CoapClient rogue = keep(CoapTestClients.x509("rogue"));
        assertThat(send(rogue, post("{}", "dev-1"))).isNull();
        String rogueRefused = listening + "; 1 TLS handshake refused (last: /127.0.0.1:" + port(rogue) + ": ";
        await().atMost(10, TimeUnit.SECONDS).until(server::status, status -> status.startsWith(rogueRefused));
        CoapClient none = keep(CoapTestClients.x509(null));
        assertThat(send(none, post("{}", "dev-1"))).as("no certificate with require").isNull();
        String noneRefused = listening + "; 2 TLS handshakes refused (last: /127.0.0.1:" + port(none) + ": Client Certificate required!)";
        await().atMost(10, TimeUnit.SECONDS).until(server::status, noneRefused::equals);
        assertThat(listener.logins).isEmpty();
        assertThat(send(keep(CoapTestClients.x509("client")), post("{}", null)).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(server.status()).isEqualTo(noneRefused);
    }

    @Test
    void optionalClientAuthAcceptsDevicesWithoutCertificates() {
        // Verifies clientAuth=optional: without a certificate the options are required; with one they are not.
        startX509(Map.of("clientAuth", "optional"));
        CoapClient anonymous = keep(CoapTestClients.x509(null));
        assertThat(send(anonymous, post("{}", null)).getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(send(anonymous, post("{}", "dev-9")).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(listener.logins.get(0).certificates()).isEmpty();
        assertThat(send(keep(CoapTestClients.x509("client")), post("{}", null)).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(listener.logins.get(1).certificates()).isNotEmpty();
    }

    @Test
    void aSessionOpenedWithACertificateIsNotReusedWithoutIt() {
        // Verifies that the same options with and without a certificate are two logins (every request with credentials
        // is one), the second replacing the first session.
        Map<String, String> p = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0", "clientAuth", "optional",
                "pskIdentity", "devices", "pskKey", "s3cret-key"));
        server = new CoapServerProvider().start(TestPki.get().tlsConfig("mixed", "coap-server", p), listener);
        assertThat(send(keep(CoapTestClients.x509("client")), post("{\"a\":1}", "dev-1")).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(send(keep(CoapTestClients.psk("devices", "s3cret-key".getBytes(StandardCharsets.UTF_8))), post("{\"a\":2}", "dev-1"))
                .getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(listener.logins).hasSize(2);
        assertThat(listener.logins.get(1).certificates()).isEmpty();
        assertThat(listener.received.get(0).connection()).isNotSameAs(listener.received.get(1).connection());
        assertThat(listener.disconnects).containsExactly("replaced by a new login");
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void dtlsKeysAreChecked() {
        // Verifies DTLS configuration errors name the component and the problem.
        TestPki pki = TestPki.get();
        TlsMaterial noKey = TlsMaterial.fromPem("ca-only", pki.pem("ca.crt"), null, null);
        assertThatThrownBy(() -> new CoapServerProvider().start(new NetworkComponentConfig("nokey", "coap-server",
                Map.of("host", "127.0.0.1", "port", "0"), noKey, List.of(pki.ca())), listener))
                .hasMessageContaining("network component nokey").hasMessageContaining("no private key");
        assertThatThrownBy(() -> new CoapServerProvider().start(new NetworkComponentConfig("notrust", "coap-server",
                Map.of("host", "127.0.0.1", "port", "0", "clientAuth", "require"), pki.server(), List.of()), listener))
                .hasMessageContaining("network component notrust").hasMessageContaining("trust");
    }
}
