package io.thingport.shell.device;

import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-tag", description = "Sets tags on a device (a key it carries gets the new value);"
        + " iot:device-untag removes them",
        detailedDescription = "Example: iot:device-tag dev-1 room=2.14 floor=2\n"
                + "A key is a letter followed by letters, digits and _ (at most 64); a value is at most 256 characters and may be"
                + " empty (key=); a device carries at most 32 tags. One wrong tag changes nothing.")
@Service
public class DeviceTagCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Argument(index = 1, name = "tags", description = "key=value ...", required = true, multiValued = true)
    List<String> tags;

    @Override
    protected Object run() {
        Device d = devices.updateTags(id, DeviceQuery.parseTags(tags), Set.of());
        println("Device " + d.id() + " tags: " + DeviceListCommand.tags(d.tags()));
        return null;
    }
}
