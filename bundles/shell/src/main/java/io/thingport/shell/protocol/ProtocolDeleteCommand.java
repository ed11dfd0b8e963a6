package io.thingport.shell.protocol;

import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProtocolIdCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "protocol-delete", description = "Removes a protocol package (refused while a gateway is configured"
        + " with it)")
@Service
public class ProtocolDeleteCommand extends IotCommand {
    @Reference
    ProtocolPackageService packages;

    @Argument(index = 0, name = "id", description = "Protocol id", required = true)
    @Completion(ProtocolIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        packages.delete(id);
        println("Protocol " + id + " deleted");
        return null;
    }
}
