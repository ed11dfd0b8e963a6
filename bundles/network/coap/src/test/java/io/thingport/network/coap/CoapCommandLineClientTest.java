package io.thingport.network.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.network.coap.CoapTestClients.Run;
import io.thingport.network.testkit.RecordingListener;
import io.thingport.network.testkit.TestPki;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CoAP server against libcoap's command-line clients (Debian libcoap3-bin 4.3.1): {@code coap-client-notls} for
 * coap and {@code coap-client-openssl} for coaps with a pre-shared key or certificates. libcoap prints a success
 * response's payload and {@code <code> <payload>} for an error response; it exits 0 either way.
 */
class CoapCommandLineClientTest {
    private static final String REPORT = "/p1/dev-1/properties/report";

    private final RecordingListener listener = new RecordingListener();
    private NetworkComponent server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String start(Map<String, String> extra, boolean x509) {
        Map<String, String> p = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0"));
        p.putAll(extra);
        NetworkComponentConfig config = x509 ? TestPki.get().tlsConfig("cli", "coap-server", p)
                : new NetworkComponentConfig("cli", "coap-server", p);
        server = new CoapServerProvider().start(config, listener);
        return "127.0.0.1:" + server.boundAddress().getPort();
    }

    /** The status after one refused handshake of a libcoap client (on a port of its own) for {@code reason}. */
    private Predicate<String> refused(String reason) {
        String pattern = Pattern.quote("listening on " + server.boundAddress() + "; 1 TLS handshake refused (last: /127.0.0.1:")
                + "\\d+" + Pattern.quote(": " + reason + ")");
        return status -> status.matches(pattern);
    }

    private static Run coapClient(String binary, List<String> security, String method, String payload, boolean credentials,
                                  String password, String uri) {
        return coapClient(binary, 10, security, method, payload, credentials, password, uri);
    }

    /** {@code coap-client-notls} presenting a session token: {@code -O 2112,<token>} and no credentials. */
    private static Run withToken(String method, String payload, String token, String uri) {
        List<String> c = new ArrayList<>(List.of("coap-client-notls", "-B", "10", "-m", method, "-O", "2112," + token));
        if (payload != null) {
            c.addAll(List.of("-e", payload));
        }
        c.add(uri);
        return CoapTestClients.run(c.toArray(new String[0]));
    }

    /** Runs a libcoap client that gives up after {@code seconds} ({@code -B}). */
    private static Run coapClient(String binary, int seconds, List<String> security, String method, String payload,
                                  boolean credentials, String password, String uri) {
        List<String> c = new ArrayList<>(List.of(binary, "-B", String.valueOf(seconds), "-m", method));
        c.addAll(security);
        if (credentials) {
            c.addAll(List.of("-O", "2100,dev-1", "-O", "2104,u", "-O", "2108," + password));
        }
        if (payload != null) {
            c.addAll(List.of("-e", payload));
        }
        c.add(uri);
        return CoapTestClients.run(c.toArray(new String[0]));
    }

    @Test
    void libcoapReportIsStoredAndAnswered() {
        // Verifies the documented example: coap-client-notls -m post -O 2100,dev-1 -O 2104,u -O 2108,good -e '{...}'.
        String at = start(Map.of(), false);
        Run run = coapClient("coap-client-notls", List.of(), "post", "{\"temperature\":21.5}", true, "good", "coap://" + at + REPORT);
        assertThat(run.output()).contains("{\"token\":\"" + CoapTestClients.token(run.output()) + "\",\"downlinks\":[]}");
        assertThat(listener.received).hasSize(1);
        assertThat(listener.received.get(0).message().topic()).isEqualTo(REPORT);
        assertThat(listener.texts()).containsExactly("{\"temperature\":21.5}");
        assertThat(listener.logins.get(0).clientId()).isEqualTo("dev-1");
        assertThat(listener.logins.get(0).username()).isEqualTo("u");
    }

    @Test
    void libcoapLogsInOnceThenSendsTheTokenAndARepeatedLoginIsRefused() {
        // Verifies the documented flow with libcoap: the login's output carries the token, a report with -O 2112,<token>
        // is stored without a login, the same signed login sent again is refused with a bare 4.01 (libcoap prints the
        // code alone), an unknown token too.
        String at = start(Map.of(), false);
        Run login = coapClient("coap-client-notls", List.of(), "post", "{\"n\":1}", true, "signed:1", "coap://" + at + REPORT);
        String token = CoapTestClients.token(login.output());
        assertThat(withToken("post", "{\"n\":2}", token, "coap://" + at + REPORT).output()).contains("{\"downlinks\":[]}")
                .doesNotContain("token");
        assertThat(listener.logins).hasSize(1);
        Run replay = coapClient("coap-client-notls", List.of(), "post", "{\"n\":3}", true, "signed:1", "coap://" + at + REPORT);
        assertThat(replay.output().strip()).isEqualTo("4.01");
        assertThat(withToken("get", null, "nope", "coap://" + at + "/p1/dev-1/poll").output().strip()).isEqualTo("4.01");
        assertThat(listener.texts()).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(listener.received.get(1).connection()).isSameAs(listener.received.get(0).connection());
    }

    @Test
    void libcoapSeesRefusalsMissingOptionsAndOversize() {
        // Verifies 4.01 (bad password, no options) and 4.13 (block-wise upload too large) before a login, bare, and
        // 4.03 (forbidden topic) within a session, with its reason, in libcoap.
        String at = start(Map.of(), false);
        assertThat(coapClient("coap-client-notls", List.of(), "post", "{}", true, "wrong", "coap://" + at + REPORT).output().strip())
                .isEqualTo("4.01");
        assertThat(coapClient("coap-client-notls", List.of(), "post", "{}", false, null, "coap://" + at + REPORT).output().strip())
                .isEqualTo("4.01");
        assertThat(coapClient("coap-client-notls", List.of(), "post", "{}", true, "good", "coap://" + at + "/forbidden/x").output())
                .contains("4.03").contains("not yours");
        assertThat(coapClient("coap-client-notls", List.of(), "post", "x".repeat(3000), true, "good", "coap://" + at + REPORT).output())
                .contains("4.13");
        assertThat(listener.received).hasSize(1);
    }

    @Test
    void libcoapPollsDownlinksWithGet() throws Exception {
        // Verifies that a downlink queued for a device comes back to coap-client in a GET response with the token.
        String at = start(Map.of(), false);
        String token = CoapTestClients.token(coapClient("coap-client-notls", List.of(), "post", "{}", true, "good",
                "coap://" + at + REPORT).output());
        listener.connections.get(0).send(EncodedMessage.of("/p1/dev-1/function/invoke", "{\"id\":7}")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        Run run = withToken("get", null, token, "coap://" + at + "/p1/dev-1/poll");
        assertThat(run.output()).contains("{\"downlinks\":[{\"topic\":\"/p1/dev-1/function/invoke\",\"payload\":\"{\\\"id\\\":7}\"}]}");
    }

    @Test
    void libcoapDtlsWithTheRightPskWorksAndWithAWrongOneFails() {
        // Verifies coaps with -u/-k: the right key is served; a wrong key fails the handshake, reaches nothing and is
        // counted in the status.
        String at = start(Map.of("pskIdentity", "devices", "pskKey", "s3cret-key"), false);
        Run wrong = coapClient("coap-client-openssl", 4, List.of("-u", "devices", "-k", "wrong-key"), "post", "{\"n\":0}", true, "good",
                "coaps://" + at + REPORT);
        assertThat(wrong.output()).doesNotContain("downlinks");
        assertThat(listener.logins).isEmpty();
        await().atMost(10, TimeUnit.SECONDS).until(server::status, refused("wrong pre-shared key (the handshake failed its MAC check)"));
        Run right = coapClient("coap-client-openssl", List.of("-u", "devices", "-k", "s3cret-key"), "post", "{\"n\":1}", true, "good",
                "coaps://" + at + REPORT);
        assertThat(right.output()).contains("\"downlinks\":[]}");
        assertThat(listener.texts()).containsExactly("{\"n\":1}");
    }

    @Test
    void libcoapDtlsWithCertificates() {
        // Verifies coaps with a client certificate (-c/-j, CA via -C): trusted -> logged in by certificate, no options;
        // a certificate from another CA is refused in the handshake, and counted in the status with the verifier's reason.
        String at = start(Map.of("clientAuth", "require"), true);
        TestPki pki = TestPki.get();
        Run trusted = coapClient("coap-client-openssl", List.of("-c", pki.file("client.crt").toString(), "-j",
                pki.file("client.key").toString(), "-C", pki.file("ca.crt").toString()), "post", "{\"c\":1}", false, null, "coaps://" + at + REPORT);
        assertThat(trusted.output()).contains("\"downlinks\":[]}");
        assertThat(listener.logins).hasSize(1);
        assertThat(listener.logins.get(0).clientId()).isEmpty();
        assertThat(listener.logins.get(0).certificates().get(0).getSubjectX500Principal().getName()).contains("CN=dev-1");
        Run rogue = coapClient("coap-client-openssl", List.of("-c", pki.file("rogue.crt").toString(), "-j",
                pki.file("rogue.key").toString(), "-R", pki.file("ca.crt").toString()), "post", "{\"c\":2}", true, "good", "coaps://" + at + REPORT);
        assertThat(rogue.output()).doesNotContain("downlinks");
        assertThat(listener.texts()).containsExactly("{\"c\":1}");
        // libcoap sends its certificate whatever CA the server asks for: Scandium's verifier refuses it.
        await().atMost(10, TimeUnit.SECONDS).until(server::status, refused("Path does not chain with any of the trust anchors"));
    }
}
