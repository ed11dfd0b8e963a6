package io.thingport.network.testkit;

import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TlsMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away PKI made with the {@code openssl} command (EC P-256 keys, PKCS#8 PEM), in a folder:
 * <ul>
 *   <li>{@code ca.crt}/{@code ca.key}: the test CA;</li>
 *   <li>{@code server.crt}/{@code server.key}: CN=localhost, SAN IP:127.0.0.1 and DNS:localhost, issued by the CA;</li>
 *   <li>{@code client.crt}/{@code client.key}: CN=dev-1, issued by the CA (mutual TLS);</li>
 *   <li>{@code twin.crt}/{@code twin.key}: CN=dev-1 issued by the same CA, another key: the handshake trusts it, but
 *       only a certificate an operator bound to the device may log it in;</li>
 *   <li>{@code rogue-ca.crt}, {@code rogue.crt}/{@code rogue.key}: CN=dev-1 issued by another CA (must be refused).</li>
 * </ul>
 * Generated once per JVM ({@link #get()}).
 */
public final class TestPki {
    private static TestPki instance;

    public final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    public static synchronized TestPki get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("thingport-pki");
                dir.toFile().deleteOnExit();
                TestPki pki = new TestPki(dir);
                pki.generate();
                instance = pki;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private void generate() {
        String ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
        openssl("req -x509 " + ec + " -keyout ca.key -out ca.crt -days 30 -subj /CN=Thingport-Test-CA");
        openssl("req -x509 " + ec + " -keyout rogue-ca.key -out rogue-ca.crt -days 30 -subj /CN=Rogue-CA");
        leaf("server", "localhost", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        leaf("client", "dev-1", "ca", "extendedKeyUsage=clientAuth");
        leaf("twin", "dev-1", "ca", "extendedKeyUsage=clientAuth");
        leaf("rogue", "dev-1", "rogue-ca", "extendedKeyUsage=clientAuth");
    }

    private void leaf(String name, String cn, String ca, String extension) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + name + ".key -out " + name
                + ".csr -subj /CN=" + cn);
        openssl("x509 -req -in " + name + ".csr -CA " + ca + ".crt -CAkey " + ca + ".key -CAcreateserial -out " + name
                + ".crt -days 30 -extfile " + name + ".ext");
    }

    private void openssl(String args) {
        try {
            List<String> command = new ArrayList<>(List.of("openssl"));
            command.addAll(List.of(args.split(" ")));
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl " + args + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the tests need the openssl command", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public String pem(String name) {
        try {
            return Files.readString(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** server.crt + server.key with the CA as its chain. */
    public TlsMaterial server() {
        return TlsMaterial.fromPem("server", pem("server.crt"), pem("server.key"), pem("ca.crt"));
    }

    public X509Certificate ca() {
        return TlsMaterial.fromPem("ca", pem("ca.crt"), null, null).certificate();
    }

    /** A component configuration with TLS from {@link #server()}, trusting the test CA for client certificates. */
    public NetworkComponentConfig tlsConfig(String id, String type, Map<String, String> properties) {
        return new NetworkComponentConfig(id, type, properties, server(), List.of(ca()));
    }

    /**
     * A client SSLContext trusting the test CA, presenting {@code client} or {@code twin} (trusted), {@code rogue}
     * (untrusted) or no certificate ({@code null}).
     */
    public SSLContext clientContext(String clientCertificate) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory kmf = null;
            if (clientCertificate != null) {
                kmf = TlsMaterial.fromPem(clientCertificate, pem(clientCertificate + ".crt"), pem(clientCertificate + ".key"), null)
                        .keyManagerFactory();
            }
            context.init(kmf == null ? null : kmf.getKeyManagers(), TlsMaterial.trustManagerFactory(List.of(ca())).getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
