package io.thingport.network.coap;

import io.thingport.api.network.TlsMaterial;
import io.thingport.network.testkit.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/** Real CoAP peers for the tests: Californium clients (plain and DTLS) and the libcoap command-line client. */
final class CoapTestClients {
    private CoapTestClients() {
    }

    static Configuration configuration() {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
        Configuration c = new Configuration(Configuration.createStandardWithoutFile());
        // Fail fast: a lost request is not retried for long.
        c.set(CoapConfig.MAX_RETRANSMIT, 2);
        c.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 2);
        // A wrong PSK is not answered (records with a bad MAC are dropped silently): give up after ~4 s.
        c.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 600, TimeUnit.MILLISECONDS);
        return c;
    }

    /** A plain CoAP client on its own endpoint (no standard configuration file). */
    static CoapClient plain() {
        CoapClient client = new CoapClient();
        client.setEndpoint(CoapEndpoint.builder().setConfiguration(configuration()).build());
        client.setTimeout(15_000L);
        return client;
    }

    /** A DTLS client with a pre-shared key. */
    static CoapClient psk(String identity, byte[] key) {
        Configuration c = configuration();
        c.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        DtlsConnectorConfig.Builder b = DtlsConnectorConfig.builder(c).setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key));
        return dtls(c, b);
    }

    /** A DTLS client trusting the test CA, presenting {@code certificate} ("client", "rogue") or none (null). */
    static CoapClient x509(String certificate) {
        TestPki pki = TestPki.get();
        Configuration c = configuration();
        c.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        DtlsConnectorConfig.Builder b = DtlsConnectorConfig.builder(c).setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedCertificates(pki.ca()).build());
        if (certificate != null) {
            TlsMaterial m = TlsMaterial.fromPem(certificate, pki.pem(certificate + ".crt"), pki.pem(certificate + ".key"), null);
            b.setCertificateIdentityProvider(new SingleCertificateProvider(m.key(), m.chain().toArray(new X509Certificate[0]),
                    CertificateType.X_509));
        } else {
            c.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NONE);
        }
        return dtls(c, b);
    }

    private static CoapClient dtls(Configuration c, DtlsConnectorConfig.Builder builder) {
        DTLSConnector connector = new DTLSConnector(builder.build());
        CoapClient client = new CoapClient();
        client.setEndpoint(CoapEndpoint.builder().setConfiguration(c).setConnector(connector).build());
        client.setTimeout(15_000L);
        return client;
    }

    static void close(CoapClient client) {
        if (client.getEndpoint() != null) {
            client.getEndpoint().destroy();
        }
        client.shutdown();
    }

    /** A request with the credential options. */
    static Request withCredentials(Request request, String clientId, String username, String password) {
        if (clientId != null) {
            request.getOptions().addOption(CoapOptions.CLIENT_ID.create(clientId));
        }
        if (username != null) {
            request.getOptions().addOption(CoapOptions.USERNAME.create(username));
        }
        if (password != null) {
            request.getOptions().addOption(CoapOptions.PASSWORD.create(password));
        }
        return request;
    }

    /** A request with the session token option (2112) instead of credentials. */
    static Request withToken(Request request, String token) {
        request.getOptions().addOption(CoapOptions.SESSION_TOKEN.create(token));
        return request;
    }

    /** The answer to a login: the session's token (43 URL-safe characters) and the downlinks. */
    static final Pattern LOGIN = Pattern.compile("\\{\"token\":\"([A-Za-z0-9_-]{43})\",\"downlinks\":\\[.*]}");

    /** The token in a login's answer (which must carry one); {@code text} may have more around the JSON body. */
    static String token(String text) {
        Matcher m = Pattern.compile("\"token\":\"([A-Za-z0-9_-]{43})\"").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no session token in: " + text);
        }
        return m.group(1);
    }

    /** Sends and waits; {@code null} when no response came or the request failed (e.g. DTLS handshake refused). */
    static CoapResponse send(CoapClient client, Request request) {
        try {
            return client.advanced(request);
        } catch (ConnectorException | IOException e) {
            return null;
        }
    }

    /** The output of a command-line client run (stdout and stderr together) and its exit code. */
    record Run(int exit, String output) {
    }

    /** Runs a command (a libcoap client), waiting at most 60 s. */
    static Run run(String... command) {
        try {
            List<String> c = new ArrayList<>(List.of(command));
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (the tests need libcoap3-bin)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
