package io.thingport.network.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.RefusedHandshakes;
import io.thingport.api.network.TlsMaterial;
import io.thingport.network.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.MessageCallback;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.util.Filter;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The refused-handshake watcher of {@link DtlsSupport#serverConnector} against Scandium clients. The server here gives
 * up on a silent peer within about a second (the components keep Scandium's defaults), so that a test can see that a
 * refusal recorded early is not counted again when the handshake finally fails.
 */
class DtlsHandshakesTest {
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final RefusedHandshakes refused = new RefusedHandshakes("dtls", warnings::add);
    private final List<DTLSConnector> clients = new ArrayList<>();
    private ScheduledExecutorService executor;
    private DTLSConnector server;
    private String listening;

    @AfterEach
    void stop() {
        clients.forEach(DTLSConnector::destroy);
        if (server != null) {
            server.destroy();
        }
        DtlsSupport.stop(executor);
    }

    private void start(NetworkComponentConfig config) {
        Configuration c = configuration();
        c.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 200, TimeUnit.MILLISECONDS);
        c.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
        executor = DtlsSupport.executor("test");
        server = DtlsSupport.serverConnector(config, DtlsSettings.from(config), c, new InetSocketAddress("127.0.0.1", 0), "test",
                executor, refused);
        server.setRawDataReceiver(raw -> { });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        listening = "listening on " + server.getAddress();
    }

    private void startPsk() {
        start(new NetworkComponentConfig("dtls", "udp", Map.of("pskIdentity", "devices", "pskKey", "s3cret-key")));
    }

    private void startX509(String clientAuth) {
        start(TestPki.get().tlsConfig("dtls", "udp", new HashMap<>(Map.of("clientAuth", clientAuth))));
    }

    private static Configuration configuration() {
        UdpConfig.register();
        DtlsConfig.register();
        return new Configuration(Configuration.createStandardWithoutFile());
    }

    private DTLSConnector client(DtlsConnectorConfig.Builder builder) {
        DTLSConnector client = new DTLSConnector(builder.build());
        clients.add(client);
        client.setRawDataReceiver(raw -> { });
        try {
            client.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return client;
    }

    private static DtlsConnectorConfig.Builder clientConfig() {
        Configuration c = configuration();
        c.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        c.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
        c.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 300, TimeUnit.MILLISECONDS);
        return DtlsConnectorConfig.builder(c).setAddress(new InetSocketAddress("127.0.0.1", 0));
    }

    private DTLSConnector psk(String identity, String key) {
        return client(clientConfig().setAdvancedPskStore(new AdvancedSinglePskStore(identity, key.getBytes(StandardCharsets.UTF_8))));
    }

    private DTLSConnector x509(String certificate) {
        TestPki pki = TestPki.get();
        DtlsConnectorConfig.Builder b = clientConfig()
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder().setTrustedCertificates(pki.ca()).build());
        if (certificate != null) {
            TlsMaterial m = TlsMaterial.fromPem(certificate, pki.pem(certificate + ".crt"), pki.pem(certificate + ".key"), null);
            b.setCertificateIdentityProvider(new SingleCertificateProvider(m.key(), m.chain().toArray(new X509Certificate[0]),
                    CertificateType.X_509));
        }
        return client(b);
    }

    /** Sends one datagram to the server; {@code true} when it was sent, i.e. the handshake succeeded. */
    private boolean handshake(DTLSConnector client) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        client.send(RawData.outbound("hello".getBytes(StandardCharsets.UTF_8), new AddressEndpointContext(server.getAddress()),
                new MessageCallback() {
                    @Override
                    public void onConnecting() {
                    }

                    @Override
                    public void onDtlsRetransmission(int flight) {
                    }

                    @Override
                    public void onContextEstablished(EndpointContext context) {
                    }

                    @Override
                    public void onSent() {
                        sent.complete(null);
                    }

                    @Override
                    public void onError(Throwable error) {
                        sent.completeExceptionally(error);
                    }
                }, false));
        try {
            sent.get(20, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The server's connections (ongoing handshakes and established sessions). */
    private int connections() throws Exception {
        AtomicInteger n = new AtomicInteger();
        Filter<Connection> count = connection -> {
            n.incrementAndGet();
            return false;
        };
        server.startForEach(count).get(10, TimeUnit.SECONDS);
        return n.get();
    }

    private String refusedBy(DTLSConnector client) {
        return "(last: /127.0.0.1:" + client.getAddress().getPort() + ": ";
    }

    @Test
    void aWrongPskIsCountedWhenSeenAndNotAgainWhenTheHandshakeTimesOut() throws Exception {
        // Verifies that a wrong key (which the server only notices as a Finished failing its MAC check, and answers
        // with silence) counts at once, once, even after the server's own handshake has timed out.
        startPsk();
        DTLSConnector wrong = psk("devices", "wrong-key");
        assertThat(handshake(wrong)).isFalse();
        await().atMost(10, TimeUnit.SECONDS).until(() -> refused.status(listening), s -> s.equals(listening
                + "; 1 TLS handshake refused " + refusedBy(wrong) + "wrong pre-shared key (the handshake failed its MAC check))"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> connections() == 0);
        assertThat(refused.refused()).isEqualTo(1);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith("Network component dtls: TLS handshake refused, /127.0.0.1:" + wrong.getAddress().getPort());
    }

    @Test
    void anUnknownPskIdentityIsCountedOnce() throws Exception {
        // Verifies the other silent PSK failure: an identity the server has no key for.
        startPsk();
        DTLSConnector unknown = psk("someone", "s3cret-key");
        assertThat(handshake(unknown)).isFalse();
        await().atMost(10, TimeUnit.SECONDS).until(() -> refused.status(listening),
                s -> s.equals(listening + "; 1 TLS handshake refused " + refusedBy(unknown) + "unknown PSK identity)"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> connections() == 0);
        assertThat(refused.refused()).isEqualTo(1);
    }

    @Test
    void aGoodHandshakeIsNotCounted() throws Exception {
        // Verifies that only refusals count: a right key, twice, leaves the status as it was.
        startPsk();
        assertThat(handshake(psk("devices", "s3cret-key"))).isTrue();
        assertThat(handshake(psk("devices", "s3cret-key"))).isTrue();
        assertThat(connections()).isEqualTo(2);
        assertThat(refused.refused()).isZero();
        assertThat(refused.status(listening)).isEqualTo(listening);
    }

    @Test
    void aMissingOrUntrustedClientCertificateIsCountedWithScandiumsReason() {
        // Verifies the refusals Scandium ends at once (handshakeFailed): no certificate under clientAuth=require, and a
        // certificate of another CA (which Scandium's client withholds, as the server asks for the test CA's).
        startX509("require");
        DTLSConnector none = x509(null);
        assertThat(handshake(none)).isFalse();
        await().atMost(10, TimeUnit.SECONDS).until(() -> refused.status(listening),
                s -> s.equals(listening + "; 1 TLS handshake refused " + refusedBy(none) + "Client Certificate required!)"));
        DTLSConnector rogue = x509("rogue");
        assertThat(handshake(rogue)).isFalse();
        await().atMost(10, TimeUnit.SECONDS).until(() -> refused.status(listening),
                s -> s.startsWith(listening + "; 2 TLS handshakes refused " + refusedBy(rogue)));
        assertThat(handshake(x509("client"))).isTrue();
        assertThat(refused.refused()).isEqualTo(2);
    }
}
