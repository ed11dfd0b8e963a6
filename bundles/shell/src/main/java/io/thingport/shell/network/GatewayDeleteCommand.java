package io.thingport.shell.network;

import io.thingport.api.network.GatewayManager;
import io.thingport.shell.support.GatewayNameCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "gateway-delete", description = "Deletes a device access gateway (refused while a product references it)")
@Service
public class GatewayDeleteCommand extends IotCommand {
    @Reference
    GatewayManager gateways;

    @Argument(index = 0, name = "name", description = "Gateway name", required = true)
    @Completion(GatewayNameCompleter.class)
    String name;

    @Override
    protected Object run() {
        gateways.delete(name);
        println("Gateway " + name + " deleted");
        return null;
    }
}
