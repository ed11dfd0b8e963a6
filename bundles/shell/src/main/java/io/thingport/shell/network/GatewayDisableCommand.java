package io.thingport.shell.network;

import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.GatewayManager;
import io.thingport.shell.support.GatewayNameCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "gateway-disable",
        description = "Disables a device access gateway: its devices are disconnected and new logins refused")
@Service
public class GatewayDisableCommand extends IotCommand {
    @Reference
    GatewayManager gateways;

    @Argument(index = 0, name = "name", description = "Gateway name", required = true)
    @Completion(GatewayNameCompleter.class)
    String name;

    @Override
    protected Object run() {
        GatewayInfo g = gateways.setEnabled(name, false);
        println("Gateway " + g.id() + " is " + g.state() + (g.detail().isEmpty() ? "" : ": " + g.detail()));
        return null;
    }
}
