package io.thingport.shell.network;

import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.GatewayManager;
import io.thingport.shell.support.GatewayNameCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "gateway-update",
        description = "Moves a gateway to another network component, or changes its protocol or description (the type cannot change)")
@Service
public class GatewayUpdateCommand extends IotCommand {
    @Reference
    GatewayManager gateways;

    @Option(name = "--network", description = "Network component to use")
    String network;

    @Option(name = "--protocol", description = "Protocol id (custom gateways not referenced by a product)")
    String protocol;

    @Option(name = "--description", description = "Description (an empty value clears it)")
    String description;

    @Argument(index = 0, name = "name", description = "Gateway name", required = true)
    @Completion(GatewayNameCompleter.class)
    String name;

    @Override
    protected Object run() {
        GatewayInfo g = gateways.update(name, network, protocol, description);
        println("Gateway " + g.id() + " (protocol " + g.protocol() + " on " + g.network() + ") is " + g.state()
                + (g.detail().isEmpty() ? "" : ": " + g.detail()));
        return null;
    }
}
