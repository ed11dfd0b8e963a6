package io.thingport.shell.simulation;

import io.thingport.api.simulation.VirtualDeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "virtual-device-stop", description = "Stops a virtual device (it disconnects)")
@Service
public class VirtualDeviceStopCommand extends IotCommand {
    @Reference
    VirtualDeviceService virtualDevices;

    @Argument(index = 0, name = "device", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Override
    protected Object run() {
        virtualDevices.stop(deviceId);
        println("Virtual device " + deviceId + " stopped");
        return null;
    }
}
