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
        println("Name:         " + c.name());
        println("Description:  " + c.description());
        println("Subject:      " + c.subject());
        println("Issuer:       " + c.issuer());
        println("Serial:       " + c.serialNumber());
        println("Valid from:   " + c.notBefore());
        println("Valid until:  " + c.notAfter());
        println("Fingerprint:  SHA-256 " + c.fingerprint());
        println("Private key:  " + (c.hasPrivateKey() ? "yes" : "no (trust only)"));
        println("Chain length: " + c.chainLength());
        println("Used by:      " + (c.usedBy().isEmpty() ? "-" : String.join(", ", c.usedBy())));
        return null;
    }
}
