package io.thingport.shell.device;

import io.thingport.api.device.DeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-enable", description = "Enables a device: it may log in again")
@Service
public class DeviceEnableCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        devices.setEnabled(id, true);
        println("Device " + id + " enabled");
        return null;
    }
}
