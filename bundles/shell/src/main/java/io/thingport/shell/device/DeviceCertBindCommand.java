package io.thingport.shell.device;

import io.thingport.api.device.DeviceCertificate;
import io.thingport.api.device.DeviceService;
import io.thingport.api.network.Fingerprints;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "iot", name = "device-cert-bind", description = "Binds a TLS/DTLS client certificate to a device, from its PEM"
        + " file or its SHA-256 fingerprint",
        detailedDescription = "Example: iot:device-cert-bind dev-1 /tmp/pki/dev-1.crt\n"
                + "or by fingerprint: iot:device-cert-bind dev-1 3F:A0:...:9C (64 hex digits, colons optional:"
                + " openssl x509 -noout -fingerprint -sha256 -in dev-1.crt).\n"
                + "A client certificate logs a device in only when it is bound to that device: a trusted CA's signature and a CN"
                + " equal to the device id are not enough. A device holds up to 8 certificates (to rotate, bind the new one,"
                + " then unbind the old one); a certificate is bound to one device at most. Paths are relative to the Karaf"
                + " base directory.")
@Service
public class DeviceCertBindCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Argument(index = 1, name = "certificate", description = "PEM certificate file (its first certificate), or the certificate's"
            + " SHA-256 fingerprint", required = true)
    @Completion(FileCompleter.class)
    String certificate;

    @Override
    protected Object run() {
        DeviceCertificate bound = Fingerprints.isSha256(certificate)
                ? devices.bindCertificateFingerprint(id, certificate)
                : devices.bindCertificate(id, Values.readFile(certificate));
        println("Certificate " + bound.fingerprint() + " bound to device " + bound.deviceId()
                + (bound.subject() == null ? " (by its fingerprint)"
                        : ": " + bound.subject() + ", issued by " + bound.issuer() + ", valid until " + Values.time(bound.notAfter())));
        String cn = commonName(bound.subject());
        if (cn != null && !cn.equals(bound.deviceId())) {
            println("Note: its CN is '" + cn + "', not '" + bound.deviceId() + "': the official protocol takes the device id from the"
                    + " CN, so this certificate cannot log " + bound.deviceId() + " in with it");
        }
        return null;
    }

    /** The CN of a subject as the official protocol reads it (the last {@code CN=} part), or null. */
    static String commonName(String subject) {
        if (subject == null) {
            return null;
        }
        String cn = null;
        for (String part : subject.split(",")) {
            String p = part.trim();
            if (p.startsWith("CN=")) {
                cn = p.substring(3);
            }
        }
        return cn;
    }
}
