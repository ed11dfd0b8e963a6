package io.thingport.shell.network;

import io.thingport.api.ThingportException;
import io.thingport.api.network.CertificateInfo;
import io.thingport.api.network.CertificateService;
import io.thingport.shell.support.CertificateNameCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "cert-info",
        description = "Shows a managed certificate: subject, issuer, validity, fingerprint (never the key)")
@Service
public class CertInfoCommand extends IotCommand {
    @Reference
    CertificateService certificates;

    @Argument(index = 0, name = "name", description = "Certificate name", required = true)
    @Completion(CertificateNameCompleter.class)
    String name;

    @Override
    protected Object run() {
        CertificateInfo c = certificates.find(name).orElseThrow(() -> ThingportException.notFound("certificate", name));
        System.out.println("Name:         " + c.name());
        System.out.println("Description:  " + c.description());
        System.out.println("Subject:      " + c.subject());
        System.out.println("Issuer:       " + c.issuer());
        System.out.println("Serial:       " + c.serialNumber());
        System.out.println("Valid from:   " + c.notBefore());
        System.out.println("Valid until:  " + c.notAfter());
        System.out.println("Fingerprint:  SHA-256 " + c.fingerprint());
        System.out.println("Private key:  " + (c.hasPrivateKey() ? "yes" : "no (trust only)"));
        System.out.println("Chain length: " + c.chainLength());
        System.out.println("Used by:      " + (c.usedBy().isEmpty() ? "-" : String.join(", ", c.usedBy())));
        return null;
    }
}
