package io.thingport.shell.device;

import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-untag", description = "Removes tags from a device by key (a key it does not carry is no error)",
        detailedDescription = "Example: iot:device-untag dev-1 room floor")
@Service
public class DeviceUntagCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Argument(index = 1, name = "keys", description = "Tag keys", required = true, multiValued = true)
    List<String> keys;

    @Override
    protected Object run() {
        Device d = devices.updateTags(id, Map.of(), Set.copyOf(keys));
        println("Device " + d.id() + " tags: " + DeviceListCommand.tags(d.tags()));
        return null;
    }
}
