package io.thingport.shell.network;

import io.thingport.api.network.CertificateInfo;
import io.thingport.api.network.CertificateService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "cert-list", description = "Lists managed certificates (never their keys)")
@Service
public class CertListCommand extends IotCommand {
    @Reference
    CertificateService certificates;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Name", "Subject", "Issuer", "Not after", "Key", "Used by");
        for (CertificateInfo c : certificates.list()) {
            table.row(c.name(), c.subject(), c.issuer(), c.notAfter(), c.hasPrivateKey() ? "yes" : "no", String.join(",", c.usedBy()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
