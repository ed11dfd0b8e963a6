package io.thingport.shell.network;

import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkManager;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.KeyValues;
import io.thingport.shell.support.NetworkNameCompleter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "network-update", description = "Changes keys of a network component and restarts it (key= removes a key)",
        detailedDescription = "Example: iot:network-update tcp1 port=9001 idleTimeout=\n"
                + "A change the component refuses is rolled back: the previous configuration keeps running.")
@Service
public class NetworkUpdateCommand extends IotCommand {
    @Reference
    NetworkManager network;

    @Argument(index = 0, name = "name", description = "Component name", required = true)
    @Completion(NetworkNameCompleter.class)
    String name;

    @Argument(index = 1, name = "key=value", description = "Keys to set; key= removes the key", required = true, multiValued = true)
    List<String> properties;

    @Override
    protected Object run() {
        Map<String, String> set = new LinkedHashMap<>();
        Set<String> unset = new HashSet<>();
        KeyValues.parse(properties).forEach((k, v) -> {
            if (v.isEmpty()) {
                unset.add(k);
            } else {
                set.put(k, v);
            }
        });
        NetworkComponentInfo c = network.update(name, set, unset);
        println("Network component " + c.id() + " is " + c.state() + (c.detail().isEmpty() ? "" : ": " + c.detail()));
        return null;
    }
}
