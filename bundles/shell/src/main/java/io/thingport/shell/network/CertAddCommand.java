package io.thingport.shell.network;

import io.thingport.api.network.CertificateInfo;
import io.thingport.api.network.CertificateService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "cert-add", description = "Adds a managed certificate from PEM files (certificate, private key, CA chain)",
        detailedDescription = "Example: iot:cert-add --key etc/server.key --ca etc/ca.crt server etc/server.crt\n"
                + "Without --key the certificate can only be trusted (a component's trust key)."
                + " Paths are relative to the Karaf base directory.")
@Service
public class CertAddCommand extends IotCommand {
    @Reference
    CertificateService certificates;

    @Option(name = "--key", description = "PEM private key file (PKCS#8 or PKCS#1 RSA, unencrypted)")
    String keyFile;

    @Option(name = "--ca", description = "PEM file with the CA chain that issued the certificate")
    String caFile;

    @Option(name = "--description", description = "Description (at most 200 characters)")
    String description;

    @Argument(index = 0, name = "name", description = "Certificate name (letters, digits, _ and -, at most 64)", required = true)
    String name;

    @Argument(index = 1, name = "certificate", description = "PEM certificate file", required = true)
    String certificateFile;

    @Override
    protected Object run() {
        CertificateInfo c = certificates.add(name, description, Values.readFile(certificateFile),
                keyFile == null ? null : Values.readFile(keyFile), caFile == null ? null : Values.readFile(caFile));
        println("Certificate " + c.name() + " added: " + c.subject() + ", valid until " + c.notAfter()
                + (c.hasPrivateKey() ? ", with private key" : ", trust only (no private key)"));
        println("SHA-256 fingerprint: " + c.fingerprint());
        return null;
    }
}
