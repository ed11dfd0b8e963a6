package io.thingport.shell.network;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkManager;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.NetworkNameCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "network-info",
        description = "Shows a network component: state, connections, gateways and configuration (secret values masked)")
@Service
public class NetworkInfoCommand extends IotCommand {
    @Reference
    NetworkManager network;

    @Argument(index = 0, name = "name", description = "Component name", required = true)
    @Completion(NetworkNameCompleter.class)
    String name;

    @Override
    protected Object run() {
        NetworkComponentInfo c = network.component(name).orElseThrow(() -> ThingportException.notFound("network component", name));
        println("Name:        " + c.id());
        println("Type:        " + c.type());
        println("State:       " + c.state());
        println("Detail:      " + c.detail());
        println("Connections: " + c.connections());
        println("Gateways:    " + (c.gateways().isEmpty() ? "-" : String.join(", ", c.gateways())));
        println("Configuration:");
        // in key order, the values of the secret keys (password, pskKey) already masked: NetworkComponentInfo never holds them
        c.properties().forEach((k, v) -> println("  " + k + " = " + v));
        return null;
    }
}
