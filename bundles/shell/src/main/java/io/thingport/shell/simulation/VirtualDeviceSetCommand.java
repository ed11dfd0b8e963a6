package io.thingport.shell.simulation;

import io.thingport.api.simulation.VirtualDeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "virtual-device-set", description = "Sets property values of a virtual device and reports them",
        detailedDescription = "The values are checked against the thing model and stay fixed in later reports.\n"
                + "Example: iot:virtual-device-set dev-1 temp=30.5 led=true")
@Service
public class VirtualDeviceSetCommand extends IotCommand {
    @Reference
    VirtualDeviceService virtualDevices;

    @Argument(index = 0, name = "device", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "values", description = "name=value pairs", required = true, multiValued = true)
    List<String> values;

    @Override
    protected Object run() {
        println(Values.json(virtualDevices.set(deviceId, Values.assignments(values)).values()));
        return null;
    }
}
