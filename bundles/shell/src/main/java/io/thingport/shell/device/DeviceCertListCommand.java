package io.thingport.shell.device;

import io.thingport.api.device.DeviceCertificate;
import io.thingport.api.device.DeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-cert-list", description = "Lists the client certificates bound to a device")
@Service
public class DeviceCertListCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Fingerprint (SHA-256)", "Subject", "Issuer", "Valid until", "Bound");
        for (DeviceCertificate c : devices.listCertificates(id)) {
            table.row(c.fingerprint(), orDash(c.subject()), orDash(c.issuer()), Values.time(c.notAfter()), Values.time(c.boundAt()));
        }
        table.print(System.out, noFormat);
        return null;
    }

    /** What is unknown of a certificate bound by its fingerprint alone. */
    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
