package io.thingport.api.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/** SHA-256 certificate fingerprints: computed as openssl does, and read in the forms operators copy. */
class FingerprintsTest {
    /** A self-signed certificate (CN=fingerprint-test) made with openssl. */
    private static final String PEM = """
            -----BEGIN CERTIFICATE-----
            MIIBjjCCATOgAwIBAgIUM0cZfm4DQBGtq8P18P88Lidb8xwwCgYIKoZIzj0EAwIw
            GzEZMBcGA1UEAwwQZmluZ2VycHJpbnQtdGVzdDAgFw0yNjEyMDIxNDExNTFaGA8y
            MTI2MTEwODE0MTE1MVowGzEZMBcGA1UEAwwQZmluZ2VycHJpbnQtdGVzdDBZMBMG
            ByqGSM49AgEGCCqGSM49AwEHA0IABA+lwIGwxrHtUv/kxYxSDqldgjjuKUIu1yFf
            Eb/3J1ozEFJhNh4RsgwBfLCNBgsnYubZak4Trptp3k8Nngcwp7mjUzBRMB0GA1Ud
            DgQWBBSWskJ2jRwdrrnjGu13OSQDpUSG4TAfBgNVHSMEGDAWgBSWskJ2jRwdrrnj
            Gu13OSQDpUSG4TAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQCz
            Et4Ck93iq0cYfyh8NV6G806Cv+y4KeJb7sV72BOw7gIhAMIaHXo7g75WLoj9dedG
            sfGu157m5HCYk8jU7gXDpUGx
            -----END CERTIFICATE-----
            """;
    /** What {@code openssl x509 -noout -fingerprint -sha256} printed for it. */
    private static final String OPENSSL = "7B:B1:7C:DF:CA:B3:12:59:52:7B:E7:66:88:77:72:C9:25:80:0F:11:00:21:1D:B8:E4:18:A5:C0:32:8B:A6:16";

    @Test
    void aCertificatesFingerprintIsOpensslsSha256() {
        // Verifies that the fingerprint is the SHA-256 of the DER encoding, written as openssl writes it.
        X509Certificate certificate = Pem.certificates("t", PEM).get(0);
        assertThat(Fingerprints.sha256Text(certificate)).isEqualTo(OPENSSL);
        assertThat(Fingerprints.sha256(certificate)).hasSize(32);
    }

    @Test
    void aFingerprintIsReadWithOrWithoutColonsInEitherCase() {
        // Verifies the accepted spellings, all read as the same 32 bytes.
        byte[] expected = Fingerprints.sha256(Pem.certificates("t", PEM).get(0));
        assertThat(Fingerprints.parseSha256(OPENSSL)).isEqualTo(expected);
        assertThat(Fingerprints.parseSha256(OPENSSL.toLowerCase())).isEqualTo(expected);
        assertThat(Fingerprints.parseSha256(OPENSSL.replace(":", ""))).isEqualTo(expected);
        assertThat(Fingerprints.parseSha256("  " + OPENSSL + "\n")).isEqualTo(expected);
        assertThat(Fingerprints.format(expected)).isEqualTo(OPENSSL);
    }

    @Test
    void anythingElseIsRefusedNamingTheExpectedForm() {
        // Verifies the refusals: too short, too long, not hex, colons in the wrong places, a SHA-1 fingerprint.
        for (String bad : new String[] {"", "7B:B1", OPENSSL + ":00", OPENSSL.replace('7', 'g'), OPENSSL.replace(":", "").substring(1)
                + ":", "7BB1:" + OPENSSL.substring(6), "A9:3F:6C:2B:71:0D:5E:88:91:02:4A:C3:BB:17:E0:6D:39:54:F2:C8",
                "sha256 Fingerprint=" + OPENSSL}) {
            assertThat(Fingerprints.isSha256(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> Fingerprints.parseSha256(bad)).as(bad).isInstanceOf(ThingportException.class)
                    .hasMessageContaining("is not a SHA-256 fingerprint: expected 64 hex digits")
                    .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(Fingerprints.isSha256(null)).isFalse();
    }
}
