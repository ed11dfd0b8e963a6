package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceCertificate;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.NewDevice;
import io.thingport.api.network.Fingerprints;
import io.thingport.api.network.TlsMaterial;
import io.thingport.api.protocol.AuthContext;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.gateway.TestSessions;
import io.thingport.network.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Client certificates bound to devices on H2 and PostgreSQL: the operator's binding is what the authenticators ask about. */
@Tag("storage")
class DeviceCertificatesTest {
    private final TestPki pki = TestPki.get();
    private final X509Certificate client = certificate("client.crt");
    private final X509Certificate twin = certificate("twin.crt");
    private RegistryFixture fixture;
    private DeviceServiceImpl devices;

    @BeforeEach
    void setUp() {
        fixture = new RegistryFixture();
        devices = fixture.devices;
        fixture.product(false);
        devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        devices.createDevice(new NewDevice("dev-2", "p1", null, null));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private static X509Certificate certificate(String file) {
        return TlsMaterial.fromPem(file, TestPki.get().pem(file), null, null).certificate();
    }

    @Test
    void aBoundCertificateIsTheDevicesAndNoOtherCertificateIs() {
        // Verifies bind from PEM and by fingerprint, the list, and what the authenticators are told: only the bound
        // certificate, only for its device.
        // GIVEN
        AuthContext auth = devices.authContext();
        assertThat(auth.certificateBound("dev-1", client)).as("nothing bound yet").isFalse();
        // WHEN the client certificate is bound from its PEM, and the twin by its fingerprint (lower case, no colons)
        DeviceCertificate bound = devices.bindCertificate("dev-1", pki.pem("client.crt"));
        DeviceCertificate byFingerprint = devices.bindCertificateFingerprint("dev-2",
                HexFormat.of().formatHex(Fingerprints.sha256(twin)));
        // THEN
        assertThat(bound.deviceId()).isEqualTo("dev-1");
        assertThat(bound.fingerprint()).isEqualTo(Fingerprints.sha256Text(client));
        assertThat(bound.subject()).isEqualTo("CN=dev-1");
        assertThat(bound.issuer()).isEqualTo("CN=Thingport-Test-CA");
        assertThat(bound.notAfter()).isEqualTo(client.getNotAfter().toInstant());
        assertThat(byFingerprint.fingerprint()).isEqualTo(Fingerprints.sha256Text(twin));
        assertThat(byFingerprint.subject()).isNull();
        assertThat(byFingerprint.notAfter()).isNull();
        assertThat(devices.listCertificates("dev-1")).containsExactly(bound);
        assertThat(devices.listCertificates("dev-2")).containsExactly(byFingerprint);
        assertThat(auth.certificateBound("dev-1", client)).isTrue();
        assertThat(auth.certificateBound("dev-1", twin)).as("same CA, same CN, not bound to dev-1").isFalse();
        assertThat(auth.certificateBound("dev-2", twin)).isTrue();
        assertThat(auth.certificateBound("dev-2", client)).as("bound to another device").isFalse();
        assertThat(auth.certificateBound("ghost", client)).as("unknown device").isFalse();
    }

    @Test
    void aDeviceHoldsAFewCertificatesForRotationAndAnUnboundOneStopsAtOnce() {
        // Verifies rotation: a second certificate beside the first, each accepted, the old one unbound (given with
        // colons, in lower case), its connection closed and the certificate refused from then on; bindings survive a
        // restart.
        // GIVEN dev-1 connected, with two certificates
        devices.bindCertificate("dev-1", pki.pem("client.crt"));
        devices.bindCertificate("dev-1", pki.pem("twin.crt"));
        assertThat(devices.listCertificates("dev-1")).extracting(DeviceCertificate::fingerprint)
                .containsExactlyInAnyOrder(Fingerprints.sha256Text(client), Fingerprints.sha256Text(twin));
        DeviceSession session = TestSessions.session("dev-1", "p1");
        fixture.sessions.register(session);
        // WHEN
        devices.unbindCertificate("dev-1", Fingerprints.sha256Text(client).toLowerCase());
        assertThat(TestSessions.closeReason(session)).isEqualTo("device certificate unbound");
        fixture.restart();
        devices = fixture.devices;
        // THEN
        assertThat(devices.listCertificates("dev-1")).extracting(DeviceCertificate::fingerprint)
                .containsExactly(Fingerprints.sha256Text(twin));
        assertThat(devices.authContext().certificateBound("dev-1", client)).isFalse();
        assertThat(devices.authContext().certificateBound("dev-1", twin)).isTrue();
    }

    @Test
    void deletingADeviceDeletesItsBindingsAndARecreatedDeviceStartsWithNone() {
        // Verifies that the bindings go with the device (same transaction): the certificate can then be bound anew.
        // GIVEN
        devices.bindCertificate("dev-1", pki.pem("client.crt"));
        // WHEN
        devices.deleteDevice("dev-1");
        devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        // THEN
        assertThat(fixture.storage.query("SELECT COUNT(*) FROM device_certificate", rs -> rs.getInt(1))).containsExactly(0);
        assertThat(devices.listCertificates("dev-1")).isEmpty();
        assertThat(devices.authContext().certificateBound("dev-1", client)).isFalse();
        assertThat(devices.bindCertificate("dev-2", pki.pem("client.crt")).deviceId()).isEqualTo("dev-2");
    }

    @Test
    void badBindingsAreRefusedWithAClearErrorAndChangeNothing() throws Exception {
        // Verifies every refusal: unknown device, not PEM, not a certificate, an expired certificate, not a fingerprint,
        // the same binding twice, a certificate bound to another device, too many certificates, unbinding what is not
        // bound.
        // GIVEN
        devices.bindCertificate("dev-1", pki.pem("client.crt"));
        String clientFingerprint = Fingerprints.sha256Text(client);
        String expired = expiredCertificate();

        // WHEN / THEN
        assertRefused(() -> devices.bindCertificate("ghost", pki.pem("client.crt")), ErrorCode.NOT_FOUND,
                "device ghost does not exist");
        assertRefused(() -> devices.bindCertificateFingerprint("ghost", clientFingerprint), ErrorCode.NOT_FOUND,
                "device ghost does not exist");
        assertRefused(() -> devices.listCertificates("ghost"), ErrorCode.NOT_FOUND, "device ghost does not exist");
        assertRefused(() -> devices.unbindCertificate("ghost", clientFingerprint), ErrorCode.NOT_FOUND, "device ghost does not exist");
        assertRefused(() -> devices.bindCertificate("dev-2", "hello"), ErrorCode.INVALID_ARGUMENT,
                "certificate for device dev-2: no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
        assertRefused(() -> devices.bindCertificate("dev-2", pki.pem("client.key")), ErrorCode.INVALID_ARGUMENT,
                "certificate for device dev-2: expected CERTIFICATE blocks, found PRIVATE KEY");
        assertRefused(() -> devices.bindCertificate("dev-2", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                ErrorCode.INVALID_ARGUMENT, "certificate for device dev-2: not a valid X.509 certificate");
        assertRefused(() -> devices.bindCertificate("dev-2", expired), ErrorCode.INVALID_ARGUMENT,
                "certificate for device dev-2: it expired on ");
        assertRefused(() -> devices.bindCertificateFingerprint("dev-2", "AB:CD"), ErrorCode.INVALID_ARGUMENT,
                "'AB:CD' is not a SHA-256 fingerprint: expected 64 hex digits");
        assertRefused(() -> devices.bindCertificate("dev-1", pki.pem("client.crt")), ErrorCode.CONFLICT,
                "certificate " + clientFingerprint + " is already bound to device dev-1");
        assertRefused(() -> devices.bindCertificateFingerprint("dev-2", clientFingerprint.replace(":", "")), ErrorCode.CONFLICT,
                "certificate " + clientFingerprint + " is bound to device dev-1: a certificate identifies one device;"
                        + " unbind it from dev-1 first");
        assertRefused(() -> devices.unbindCertificate("dev-2", clientFingerprint), ErrorCode.NOT_FOUND,
                "certificate " + clientFingerprint + " is not bound to device dev-2");
        assertRefused(() -> devices.unbindCertificate("dev-1", "dev-1.crt"), ErrorCode.INVALID_ARGUMENT,
                "'dev-1.crt' is not a SHA-256 fingerprint");
        for (int i = 1; i < DeviceService.MAX_DEVICE_CERTIFICATES; i++) {
            devices.bindCertificateFingerprint("dev-1", String.format("%064x", i));
        }
        assertRefused(() -> devices.bindCertificate("dev-1", pki.pem("twin.crt")), ErrorCode.CONFLICT,
                "device dev-1 has 8 bound certificates, the most it may hold: unbind one first");

        // THEN nothing of the refused ones was applied
        assertThat(devices.listCertificates("dev-2")).isEmpty();
        assertThat(devices.listCertificates("dev-1")).hasSize(DeviceService.MAX_DEVICE_CERTIFICATES)
                .extracting(DeviceCertificate::fingerprint).contains(clientFingerprint).doesNotContain(Fingerprints.sha256Text(twin));
    }

    private static void assertRefused(Runnable action, ErrorCode code, String message) {
        AbstractThrowableAssert<?, ?> refusal = assertThatThrownBy(action::run).isInstanceOf(ThingportException.class)
                .hasMessageContaining(message);
        refusal.extracting(e -> ((ThingportException) e).code()).isEqualTo(code);
    }

    /** A self-signed certificate that expired a day ago (keytool: openssl 3.0 cannot back-date one). */
    private String expiredCertificate() throws Exception {
        Path dir = Files.createTempDirectory(pki.dir, "expired");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(dir, keytool, "-genkeypair", "-alias", "old", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=dev-2",
                "-startdate", "-2d", "-validity", "1", "-keystore", "old.p12", "-storetype", "PKCS12", "-storepass", "changeit");
        run(dir, keytool, "-exportcert", "-rfc", "-alias", "old", "-keystore", "old.p12", "-storepass", "changeit", "-file",
                "old.crt");
        String pem = Files.readString(dir.resolve("old.crt"));
        assertThat(TlsMaterial.fromPem("old", pem, null, null).certificate().getNotAfter().toInstant()).isBefore(Instant.now());
        return pem;
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }
}
