package io.thingport.network.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.TlsMaterial;
import io.thingport.network.testkit.RecordingListener;
import io.thingport.network.testkit.TestPki;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP server with TLS from a managed certificate, against curl and java.net.http.HttpClient. */
class HttpTlsTest {
    private static final TestPki PKI = TestPki.get();
    private final RecordingListener listener = new RecordingListener();
    private NetworkComponent server;

    private void start(String clientAuth) {
        Map<String, String> properties = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0"));
        if (clientAuth != null) {
            properties.put("clientAuth", clientAuth);
        }
        server = new HttpServerProvider().start(PKI.tlsConfig("tls", "http-server", properties), listener);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String url(String path) {
        return "https://127.0.0.1:" + server.boundAddress().getPort() + path;
    }

    private String file(String name) {
        return PKI.file(name).toString();
    }

    /**
     * A client context that presents {@code name}'s certificate whatever CAs the server asks for (the JDK's own key
     * manager would silently send no certificate when its issuer is not among them).
     */
    private static SSLContext presenting(String name) throws Exception {
        X509ExtendedKeyManager keys = (X509ExtendedKeyManager) TlsMaterial.fromPem(name, PKI.pem(name + ".crt"),
                PKI.pem(name + ".key"), null).keyManagerFactory().getKeyManagers()[0];
        X509ExtendedKeyManager always = new X509ExtendedKeyManager() {
            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return "key";
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "key";
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"key"};
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return keys.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return keys.chooseServerAlias(keyType, issuers, socket);
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
    }

    private HttpResponse<String> post(String clientCertificate, String clientId, String password) throws Exception {
        SSLContext tls = "rogue".equals(clientCertificate) ? presenting("rogue") : PKI.clientContext(clientCertificate);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/p1/dev-1/properties/report")))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (clientId != null) {
            b.header("X-Client-Id", clientId).header("X-Username", clientId + "|1").header("X-Password", password);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void curlWithTheCaCertificateAndHeaderCredentials() {
        // Verifies TLS with the managed server certificate (curl --cacert) and header credentials.
        start(null);
        Curl.Result r = Curl.run("--cacert", file("ca.crt"), "-H", "X-Client-Id: d1", "-H", "X-Username: d1|1",
                "-H", "X-Password: good", "--data-binary", "{\"tls\":true}", url("/p1/d1/properties/report"));
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"token\":\"" + HttpServerTest.token(r.body()) + "\",\"downlinks\":[]}");
        assertThat(listener.texts()).containsExactly("{\"tls\":true}");
        assertThat(listener.logins).singleElement().satisfies(a -> assertThat(a.certificates()).isEmpty());

        Curl.Result untrusted = Curl.run("-H", "X-Client-Id: d1", "--data-binary", "{}", url("/p1/d1/properties/report"));
        assertThat(untrusted.exit()).as("curl without the CA refuses the server certificate").isEqualTo(60);
    }

    @Test
    void curlClientCertificateIdentifiesTheDevice() {
        // Verifies that a verified client certificate reaches the AuthRequest (CN=dev-1) and suffices without headers.
        start("optional");
        Curl.Result r = Curl.run("--cacert", file("ca.crt"), "--cert", file("client.crt"), "--key", file("client.key"),
                "--data-binary", "{\"by\":\"cert\"}", url("/p1/dev-1/properties/report"));
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.status()).isEqualTo(200);
        assertThat(listener.logins).singleElement().satisfies(a -> {
            assertThat(a.certificates()).isNotEmpty();
            assertThat(a.certificates().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=dev-1");
            assertThat(a.clientId()).isEmpty();
        });
        assertThat(listener.texts()).containsExactly("{\"by\":\"cert\"}");

        String token = HttpServerTest.token(r.body());
        Curl.Result withToken = Curl.run("--cacert", file("ca.crt"), "--cert", file("client.crt"), "--key", file("client.key"),
                "-H", "X-Session-Token: " + token, "--data-binary", "{}", url("/p1/dev-1/properties/report"));
        assertThat(withToken.status()).isEqualTo(200);
        assertThat(withToken.body()).isEqualTo("{\"downlinks\":[]}");
        assertThat(listener.logins).as("the token, no login").hasSize(1);
        Curl.Result again = Curl.run("--cacert", file("ca.crt"), "--cert", file("client.crt"), "--key", file("client.key"),
                "--data-binary", "{}", url("/p1/dev-1/properties/report"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(listener.logins).as("the certificate without a token logs in again").hasSize(2);
        assertThat(HttpServerTest.token(again.body())).isNotEqualTo(token);

        Curl.Result anonymous = Curl.run("--cacert", file("ca.crt"), "--data-binary", "{}", url("/p1/dev-1/properties/report"));
        assertThat(anonymous.status()).as("no certificate and no headers").isEqualTo(401);
    }

    @Test
    void rogueClientCertificateIsRefusedAtTheHandshakeWhileAGoodClientWorks() throws Exception {
        // Verifies that a client certificate from an untrusted CA fails the handshake (curl and HttpClient) and the server stays up.
        start("optional");
        Curl.Result rogue = Curl.run("--cacert", file("ca.crt"), "--cert", file("rogue.crt"), "--key", file("rogue.key"),
                "-H", "X-Client-Id: d1", "-H", "X-Username: d1|1", "-H", "X-Password: good",
                "--data-binary", "{}", url("/p1/d1/properties/report"));
        assertThat(rogue.exit()).as("curl fails: " + rogue.stderr()).isNotZero();
        assertThat(rogue.status()).isNotEqualTo(200);
        assertThatThrownBy(() -> post("rogue", "d1", "good")).isInstanceOf(IOException.class);
        assertThat(listener.logins).isEmpty();

        HttpResponse<String> good = post("client", null, null);
        assertThat(good.statusCode()).isEqualTo(200);
        Curl.Result goodCurl = Curl.run("--cacert", file("ca.crt"), "--cert", file("client.crt"), "--key", file("client.key"),
                "--data-binary", "{}", url("/p1/dev-1/properties/report"));
        assertThat(goodCurl.status()).isEqualTo(200);
        assertThat(listener.received).hasSize(2);
    }

    @Test
    void requiredClientCertificate() throws Exception {
        // Verifies clientAuth=require: no certificate fails the handshake, a trusted one works (HttpClient).
        start("require");
        Curl.Result none = Curl.run("--cacert", file("ca.crt"), "-H", "X-Client-Id: d1", "-H", "X-Username: d1|1",
                "-H", "X-Password: good", "--data-binary", "{}", url("/p1/d1/properties/report"));
        assertThat(none.exit()).as(none.stderr()).isNotZero();
        HttpResponse<String> good = post("client", null, null);
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(listener.logins).singleElement().satisfies(a ->
                assertThat(a.certificates().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=dev-1"));
    }

    @Test
    void aSessionOpenedByACertificateIsNotReusedWithoutIt() throws Exception {
        // Verifies that the same header credentials without the certificate log in again (as every request with
        // credentials does) and are refused, instead of riding on the session the certificate opened.
        start("optional");
        HttpResponse<String> withCert = post("client", "dev-1", "not-the-password");
        assertThat(withCert.statusCode()).as("accepted by the certificate").isEqualTo(200);
        HttpResponse<String> withoutCert = post(null, "dev-1", "not-the-password");
        assertThat(withoutCert.statusCode()).isEqualTo(401);
        assertThat(withoutCert.body()).isEqualTo("{\"code\":\"bad_credentials\",\"message\":\"bad user name or password\"}");
        assertThat(listener.logins).hasSize(2);
        assertThat(listener.received).hasSize(1);
        assertThat(listener.disconnects).isEmpty();
        assertThat(List.of(withCert.statusCode(), withoutCert.statusCode())).containsExactly(200, 401);
    }
}
