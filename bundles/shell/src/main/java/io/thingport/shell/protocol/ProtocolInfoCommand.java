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
        println("Id:                " + p.id());
        println("Name:              " + p.name());
        println("Description:       " + p.description());
        println("Type:              " + p.type());
        println("Source:            " + p.source());
        println("Version:           " + p.version());
        println("Transports:        " + p.transports());
        println("State:             " + p.state());
        if (!p.detail().isEmpty()) {
            println("Note:              " + p.detail());
        }
        if (!p.type().equals(ProtocolPackageService.TYPE_BUILTIN)) {
            println("Revision:          " + p.revision());
            println("SHA-256:           " + p.sha256());
            println("Installed:         " + p.installedAt());
            println("Updated:           " + p.updatedAt());
        }
        println("Thing-model codec: " + (p.thingModelCodec() ? "yes (iot:protocol-doc " + p.id() + " --product <id>)" : "no"));
        println("Gateways:          " + (p.gateways().isEmpty() ? "-" : String.join(", ", p.gateways())));
        return null;
    }
}
