package io.thingport.shell.network;

import io.thingport.api.ThingportException;
import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.GatewayManager;
import io.thingport.shell.support.GatewayNameCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "gateway-info", description = "Shows a device access gateway")
@Service
public class GatewayInfoCommand extends IotCommand {
    @Reference
    GatewayManager gateways;

    @Argument(index = 0, name = "name", description = "Gateway name", required = true)
    @Completion(GatewayNameCompleter.class)
    String name;

    @Override
    protected Object run() {
        GatewayInfo g = gateways.gateway(name).orElseThrow(() -> ThingportException.notFound("gateway", name));
        println("Name:        " + g.id());
        println("Type:        " + g.type());
        println("Network:     " + g.network());
        println("Protocol:    " + g.protocol());
        println("Enabled:     " + g.enabled());
        println("State:       " + g.state());
        println("Detail:      " + g.detail());
        println("Connections: " + g.connections());
        println("Products:    " + (g.products().isEmpty() ? "-" : String.join(", ", g.products())));
        println("Description: " + g.description());
        return null;
    }
}
