package io.thingport.shell.device;

import io.thingport.api.device.DeviceService;
import io.thingport.api.network.Fingerprints;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-cert-unbind", description = "Unbinds a client certificate from a device: it stops"
        + " identifying the device at once, and the device's connection is closed",
        detailedDescription = "Example: iot:device-cert-unbind dev-1 3F:A0:...:9C\n"
                + "The fingerprint is the SHA-256 one iot:device-cert-list shows (64 hex digits, colons optional).")
@Service
public class DeviceCertUnbindCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Argument(index = 1, name = "fingerprint", description = "SHA-256 fingerprint of the bound certificate", required = true)
    String fingerprint;

    @Override
    protected Object run() {
        devices.unbindCertificate(id, fingerprint);
        println("Certificate " + Fingerprints.format(Fingerprints.parseSha256(fingerprint)) + " unbound from device " + id);
        return null;
    }
}
