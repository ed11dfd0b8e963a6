package io.thingport.shell.network;

import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.GatewayManager;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.NetworkNameCompleter;
import io.thingport.shell.support.ProtocolIdCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

@Command(scope = "iot", name = "gateway-create", description = "Creates a device access gateway: a network component bound to a protocol",
        detailedDescription = "Example: iot:gateway-create tcp-gw official tcp1\n"
                + "Types: official (the official protocol) or custom (give the protocol id)."
                + " Only an mqtt-server may be used by several gateways.")
@Service
public class GatewayCreateCommand extends IotCommand {
    @Reference
    GatewayManager gateways;

    @Option(name = "--description", description = "Description (at most 200 characters)")
    String description;

    @Argument(index = 0, name = "name", description = "Gateway name (letters, digits, _ and -, at most 64)", required = true)
    String name;

    @Argument(index = 1, name = "type", description = "official or custom", required = true)
    @Completion(value = StringsCompleter.class, values = {"official", "custom"})
    String type;

    @Argument(index = 2, name = "network", description = "Network component it uses", required = true)
    @Completion(NetworkNameCompleter.class)
    String network;

    @Argument(index = 3, name = "protocol", description = "Protocol id (custom gateways)")
    @Completion(ProtocolIdCompleter.class)
    String protocol;

    @Override
    protected Object run() {
        GatewayInfo g = gateways.create(name, type, network, protocol, description);
        println("Gateway " + g.id() + " (" + g.type() + ", protocol " + g.protocol() + " on " + g.network() + ") is "
                + g.state() + (g.detail().isEmpty() ? "" : ": " + g.detail()));
        return null;
    }
}
