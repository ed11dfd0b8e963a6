package io.thingport.shell.protocol;

import io.thingport.api.ThingportException;
import io.thingport.api.protocol.ProtocolPackageInfo;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProtocolIdCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "protocol-info", description = "Shows a protocol package: source, version, revision, state, gateways")
@Service
public class ProtocolInfoCommand extends IotCommand {
    @Reference
    ProtocolPackageService packages;

    @Argument(index = 0, name = "id", description = "Protocol id", required = true)
    @Completion(ProtocolIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        ProtocolPackageInfo p = packages.info(id).orElseThrow(() -> ThingportException.notFound("protocol", id));
        System.out.println("Id:                " + p.id());
        System.out.println("Name:              " + p.name());
        System.out.println("Description:       " + p.description());
        System.out.println("Type:              " + p.type());
        System.out.println("Source:            " + p.source());
        System.out.println("Version:           " + p.version());
        System.out.println("Transports:        " + p.transports());
        System.out.println("State:             " + p.state());
        if (!p.detail().isEmpty()) {
            System.out.println("Note:              " + p.detail());
        }
        if (!p.type().equals(ProtocolPackageService.TYPE_BUILTIN)) {
            System.out.println("Revision:          " + p.revision());
            System.out.println("SHA-256:           " + p.sha256());
            System.out.println("Installed:         " + p.installedAt());
            System.out.println("Updated:           " + p.updatedAt());
        }
        System.out.println("Thing-model codec: " + (p.thingModelCodec() ? "yes (iot:protocol-doc " + p.id() + " --product <id>)" : "no"));
        System.out.println("Gateways:          " + (p.gateways().isEmpty() ? "-" : String.join(", ", p.gateways())));
        return null;
    }
}
