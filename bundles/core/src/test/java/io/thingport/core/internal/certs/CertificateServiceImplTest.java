package io.thingport.core.internal.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.CertificateInfo;
import io.thingport.api.network.TlsMaterial;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.TestDatabase;
import io.thingport.core.internal.usage.UsageCheck;
import io.thingport.network.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Managed certificates on H2 and PostgreSQL, with certificates made by openssl. */
@Tag("storage")
class CertificateServiceImplTest {
    private final TestPki pki = TestPki.get();
    private Storage storage;
    private CertificateServiceImpl store;

    @BeforeEach
    void setUp() {
        DataSource dataSource = TestDatabase.create();
        storage = new Storage(dataSource);
        store = new CertificateServiceImpl(storage);
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    private static String openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void storesACertificateAndShowsItsFactsButNeverItsKey() throws Exception {
        // Verifies add/list/info: subject, issuer, validity, the SHA-256 fingerprint openssl computes, and that the
        // material handed to components carries the key and the chain.
        CertificateInfo info = store.add("server", "TLS for MQTT", pki.pem("server.crt"), pki.pem("server.key"), pki.pem("ca.crt"));
        assertThat(info.subject()).isEqualTo("CN=localhost");
        assertThat(info.issuer()).isEqualTo("CN=Thingport-Test-CA");
        assertThat(info.hasPrivateKey()).isTrue();
        assertThat(info.chainLength()).isEqualTo(2);
        String expected = openssl(pki.dir, "x509", "-in", "server.crt", "-noout", "-fingerprint", "-sha256").trim();
        assertThat(expected).endsWith("=" + info.fingerprint());
        assertThat(store.list()).extracting(CertificateInfo::name).containsExactly("server");
        assertThat(info.toString()).doesNotContain("PRIVATE");
        TlsMaterial material = store.material("server").orElseThrow();
        assertThat(material.key()).isNotNull();
        assertThat(material.caChain()).hasSize(1);
        String keyBase64 = Base64.getEncoder().encodeToString(material.key().getEncoded());
        assertThat(material.toString()).contains("name=server", "private key (withheld)", "CN=localhost")
                .doesNotContain(keyBase64.substring(40, 80)).doesNotContain(material.key().toString());
        assertThatThrownBy(() -> store.add("server", null, pki.pem("server.crt"), null, null))
                .isInstanceOf(ThingportException.class).extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void refusesBadInputNamingTheProblem() {
        // Verifies the errors for a non-PEM certificate, a key of another certificate, an encrypted key, a bad name and
        // an over-long description; nothing is stored.
        assertThatThrownBy(() -> store.add("x", null, "not a certificate", null, null)).hasMessageContaining("no PEM certificate found");
        assertThatThrownBy(() -> store.add("x", null, pki.pem("server.crt"), pki.pem("client.key"), null))
                .hasMessageContaining("the private key does not belong to the certificate");
        assertThatThrownBy(() -> store.add("x", null, pki.pem("server.crt"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", null))
                .hasMessageContaining("the private key is encrypted");
        assertThatThrownBy(() -> store.add("bad name", null, pki.pem("server.crt"), null, null)).hasMessageContaining("may contain only");
        assertThatThrownBy(() -> store.add("x", "d".repeat(201), pki.pem("server.crt"), null, null)).hasMessageContaining("200");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void readsTraditionalRsaKeys() throws Exception {
        // Verifies PKCS#1 "RSA PRIVATE KEY" files (openssl genrsa -traditional) are accepted.
        Path dir = Files.createTempDirectory("rsa");
        openssl(dir, "genrsa", "-traditional", "-out", "rsa.key", "2048");
        openssl(dir, "req", "-x509", "-key", "rsa.key", "-out", "rsa.crt", "-days", "2", "-subj", "/CN=rsa");
        assertThat(Files.readString(dir.resolve("rsa.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        CertificateInfo info = store.add("rsa", null, Files.readString(dir.resolve("rsa.crt")), Files.readString(dir.resolve("rsa.key")),
                null);
        assertThat(info.hasPrivateKey()).isTrue();
        assertThat(store.material("rsa").orElseThrow().keyManagerFactory().getKeyManagers()).isNotEmpty();
    }

    @Test
    void aCertificateInUseCannotBeDeleted() {
        // Verifies the delete rule: refused while a network component names the certificate, allowed afterwards.
        store.add("ca", "trust only", pki.pem("ca.crt"), null, null);
        UsageCheck components = (kind, name) -> kind == UsageCheck.Kind.CERTIFICATE && name.equals("ca") ? List.of("mqtt-tls") : List.of();
        store.usages().add(components);
        assertThatThrownBy(() -> store.delete("ca")).hasMessageContaining("used by network component(s) mqtt-tls");
        assertThat(store.find("ca").orElseThrow().usedBy()).containsExactly("mqtt-tls");
        store.usages().remove(components);
        store.delete("ca");
        assertThat(store.find("ca")).isEmpty();
        assertThatThrownBy(() -> store.delete("ca")).extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
}
