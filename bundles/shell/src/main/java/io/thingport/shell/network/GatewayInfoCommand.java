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
        System.out.println("Name:        " + g.id());
        System.out.println("Type:        " + g.type());
        System.out.println("Network:     " + g.network());
        System.out.println("Protocol:    " + g.protocol());
        System.out.println("Enabled:     " + g.enabled());
        System.out.println("State:       " + g.state());
        System.out.println("Detail:      " + g.detail());
        System.out.println("Connections: " + g.connections());
        System.out.println("Products:    " + (g.products().isEmpty() ? "-" : String.join(", ", g.products())));
        System.out.println("Description: " + g.description());
        return null;
    }
}
