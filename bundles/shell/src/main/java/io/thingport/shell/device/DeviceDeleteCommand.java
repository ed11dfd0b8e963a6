package io.thingport.shell.device;

import io.thingport.api.device.DeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-delete", description = "Deletes devices with their stored properties and logs")
@Service
public class DeviceDeleteCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "ids", description = "Device ids", required = true, multiValued = true)
    @Completion(DeviceIdCompleter.class)
    List<String> ids;

    @Override
    protected Object run() {
        List<String> failures = new ArrayList<>();
        for (String id : ids) {
            try {
                devices.deleteDevice(id);
                println("Device " + id + " deleted");
            } catch (RuntimeException e) {
                failures.add(id + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " device(s) not deleted:\n  " + String.join("\n  ", failures));
        }
        return null;
    }
}
