package io.thingport.shell.network;

import io.thingport.api.network.CertificateService;
import io.thingport.shell.support.CertificateNameCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "cert-delete", description = "Deletes a managed certificate (refused while a network component uses it)")
@Service
public class CertDeleteCommand extends IotCommand {
    @Reference
    CertificateService certificates;

    @Argument(index = 0, name = "name", description = "Certificate name", required = true)
    @Completion(CertificateNameCompleter.class)
    String name;

    @Override
    protected Object run() {
        certificates.delete(name);
        println("Certificate " + name + " deleted");
        return null;
    }
}
