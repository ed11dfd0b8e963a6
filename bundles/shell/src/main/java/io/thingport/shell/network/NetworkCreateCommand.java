package io.thingport.shell.network;

import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkManager;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.KeyValues;
import io.thingport.shell.support.NetworkTypeCompleter;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "network-create",
        description = "Creates and starts a network component (written to etc/io.thingport.network-<name>.cfg)",
        detailedDescription = "Example: iot:network-create tcp1 tcp-server port=9000 framing=delimiter\n"
                + "Common keys: host, port, description, enabled, scope (shared|node), node, publicHost, publicPort, certificate, trust;"
                + " see the README for each type's keys. The command returns once the component runs, or fails naming the problem"
                + " (nothing is left behind).")
@Service
public class NetworkCreateCommand extends IotCommand {
    @Reference
    NetworkManager network;

    @Argument(index = 0, name = "name", description = "Component name (letters, digits, _ and -, at most 64)", required = true)
    String name;

    @Argument(index = 1, name = "type", description = "Component type (see iot:network-types)", required = true)
    @Completion(NetworkTypeCompleter.class)
    String type;

    @Argument(index = 2, name = "key=value", description = "Configuration keys", multiValued = true)
    List<String> properties;

    @Override
    protected Object run() {
        NetworkComponentInfo c = network.create(name, type, KeyValues.parse(properties));
        println("Network component " + c.id() + " (" + c.type() + ") is " + c.state()
                + (c.detail().isEmpty() ? "" : ": " + c.detail()));
        return null;
    }
}
