package io.thingport.shell.network;

import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkManager;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.NetworkNameCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "network-enable", description = "Enables (starts) a network component")
@Service
public class NetworkEnableCommand extends IotCommand {
    @Reference
    NetworkManager network;

    @Argument(index = 0, name = "name", description = "Component name", required = true)
    @Completion(NetworkNameCompleter.class)
    String name;

    @Override
    protected Object run() {
        NetworkComponentInfo c = network.setEnabled(name, true);
        println("Network component " + c.id() + " is " + c.state() + (c.detail().isEmpty() ? "" : ": " + c.detail()));
        return null;
    }
}
