package io.thingport.shell.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ThingportException;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceCertificate;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.TopologyService;
import io.thingport.shell.support.Fakes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device certificate commands: what they ask the device service, and what they print (escaped). */
class DeviceCertCommandsTest {
    private static final String FINGERPRINT = "7B:B1:7C:DF:CA:B3:12:59:52:7B:E7:66:88:77:72:C9:"
            + "25:80:0F:11:00:21:1D:B8:E4:18:A5:C0:32:8B:A6:16";
    /** A subject a device maker chose: it clears the screen (ESC [ 2 J) and sends a one-character CSI (U+009B). */
    private static final String HOSTILE_SUBJECT = "CN=dev-1\u001b[2J\u009b";
    private static final DeviceCertificate FROM_PEM = new DeviceCertificate("dev-1", FINGERPRINT, HOSTILE_SUBJECT, "CN=Test CA",
            Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
    private static final DeviceCertificate BY_FINGERPRINT = new DeviceCertificate("dev-1", FINGERPRINT, null, null, null,
            Instant.parse("2026-01-01T00:00:00Z"));

    private final List<String> calls = new ArrayList<>();

    @Test
    void bindReadsAPemFileOrTakesAFingerprint(@TempDir Path dir) throws Exception {
        // Verifies that iot:device-cert-bind hands the service the file's text, or a fingerprint given as 64 hex digits
        // (with or without colons), and prints the binding escaped.
        // GIVEN
        Path pem = Files.writeString(dir.resolve("dev-1.crt"), "-----BEGIN CERTIFICATE-----\n...");
        DeviceCertBindCommand command = new DeviceCertBindCommand();
        command.devices = Fakes.service(DeviceService.class, Map.of(
                "bindCertificate", args -> {
                    calls.add("pem " + args[0] + " " + args[1]);
                    return FROM_PEM;
                },
                "bindCertificateFingerprint", args -> {
                    calls.add("fingerprint " + args[0] + " " + args[1]);
                    return BY_FINGERPRINT;
                }));
        command.id = "dev-1";
        // WHEN
        command.certificate = pem.toString();
        String fromFile = Fakes.output(command::execute);
        command.certificate = FINGERPRINT.replace(":", "").toLowerCase();
        String byFingerprint = Fakes.output(command::execute);
        command.certificate = FINGERPRINT;
        Fakes.output(command::execute);
        // THEN
        assertThat(calls).containsExactly("pem dev-1 -----BEGIN CERTIFICATE-----\n...",
                "fingerprint dev-1 " + FINGERPRINT.replace(":", "").toLowerCase(), "fingerprint dev-1 " + FINGERPRINT);
        assertThat(fromFile).startsWith("Certificate " + FINGERPRINT + " bound to device dev-1: CN=dev-1\\u001b[2J\\u009b, issued by"
                + " CN=Test CA, valid until ").doesNotContain("\u001b").doesNotContain("\u009b");
        assertThat(byFingerprint).isEqualTo("Certificate " + FINGERPRINT + " bound to device dev-1 (by its fingerprint)"
                + System.lineSeparator());
    }

    @Test
    void bindNotesACertificateWhoseCnIsNotTheDevice() throws Exception {
        // Verifies the CN check: the official protocol names the device by the CN, so a binding to another device is
        // flagged (not refused: another protocol may map certificates otherwise).
        assertThat(DeviceCertBindCommand.commonName("CN=dev-2, O=Acme")).isEqualTo("dev-2");
        assertThat(DeviceCertBindCommand.commonName("O=Acme")).isNull();
        assertThat(DeviceCertBindCommand.commonName(null)).isNull();
        DeviceCertBindCommand command = new DeviceCertBindCommand();
        DeviceCertificate other = new DeviceCertificate("dev-1", FINGERPRINT, "CN=dev-2", "CN=Test CA", FROM_PEM.notAfter(),
                FROM_PEM.boundAt());
        command.devices = Fakes.service(DeviceService.class, Map.of("bindCertificateFingerprint", args -> other));
        command.id = "dev-1";
        command.certificate = FINGERPRINT;
        assertThat(Fakes.output(command::execute)).contains("Note: its CN is 'dev-2', not 'dev-1'");
    }

    @Test
    void bindRefusesWhatIsNeitherAFileNorAFingerprint(@TempDir Path dir) {
        // Verifies the error for a mistyped path (or a fingerprint cut short): it names the missing file, and nothing is
        // asked of the service.
        DeviceCertBindCommand command = new DeviceCertBindCommand();
        command.devices = Fakes.service(DeviceService.class, Map.of());
        command.id = "dev-1";
        command.certificate = dir.resolve("dev-1.crtx").toString();
        assertThatThrownBy(command::execute).isInstanceOf(CommandException.class)
                .hasMessage("file " + dir.resolve("dev-1.crtx") + " does not exist")
                .hasCauseInstanceOf(ThingportException.class);
    }

    @Test
    void listAndInfoShowTheBindingsEscaped() throws Exception {
        // Verifies iot:device-cert-list (table and --no-format) and the bindings in iot:device-info: a certificate's
        // subject is escaped, and what a fingerprint-only binding does not know shows as "-".
        // GIVEN
        DeviceService devices = Fakes.service(DeviceService.class, Map.of(
                "listCertificates", args -> List.of(FROM_PEM, BY_FINGERPRINT),
                "getDevice", args -> new Device("dev-1", "thermo", "dev-1", true, DeviceState.NEVER_ONLINE, Instant.EPOCH)));
        DeviceCertListCommand list = new DeviceCertListCommand();
        list.devices = devices;
        list.id = "dev-1";
        DeviceInfoCommand info = new DeviceInfoCommand();
        info.devices = devices;
        info.topology = Fakes.service(TopologyService.class, Map.of("gatewayOf", args -> Optional.empty(), "children",
                args -> List.of()));
        info.id = "dev-1";
        // WHEN
        String table = Fakes.output(list::execute);
        list.noFormat = true;
        String plain = Fakes.output(list::execute);
        String shown = Fakes.output(info::execute);
        // THEN
        assertThat(table).contains("Fingerprint (SHA-256)", FINGERPRINT, "CN=dev-1\\u001b[2J\\u009b").doesNotContain("\u001b");
        assertThat(plain.lines().toList()).hasSize(2);
        assertThat(plain.lines().toList().get(0)).startsWith(FINGERPRINT + "\tCN=dev-1\\u001b[2J\\u009b\tCN=Test CA\t");
        assertThat(plain.lines().toList().get(1)).startsWith(FINGERPRINT + "\t-\t-\t-\t");
        assertThat(shown).contains("Certificates: " + FINGERPRINT + " CN=dev-1\\u001b[2J\\u009b\n"
                + "              " + FINGERPRINT + " (bound by fingerprint)").doesNotContain("\u001b");
    }

    @Test
    void unbindPrintsTheFingerprintAsTheListShowsIt() throws Exception {
        // Verifies iot:device-cert-unbind: the fingerprint as typed goes to the service, and is confirmed in the list's form.
        DeviceCertUnbindCommand command = new DeviceCertUnbindCommand();
        command.devices = Fakes.service(DeviceService.class, Map.of("unbindCertificate", args -> {
            calls.add(args[0] + " " + args[1]);
            return null;
        }));
        command.id = "dev-1";
        command.fingerprint = FINGERPRINT.toLowerCase().replace(":", "");
        assertThat(Fakes.output(command::execute)).startsWith("Certificate " + FINGERPRINT + " unbound from device dev-1");
        assertThat(calls).containsExactly("dev-1 " + FINGERPRINT.toLowerCase().replace(":", ""));
    }
}
