package io.thingport.shell.device;

import io.thingport.api.device.DeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-enable", description = "Enables a device: it may log in again")
@Service
public class DeviceEnableCommand implements Action {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Override
    public Object execute() {
        devices.setEnabled(id, true);
        System.out.println("Device " + id + " enabled");
        return null;
    }
}
