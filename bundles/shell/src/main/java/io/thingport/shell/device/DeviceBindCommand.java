package io.thingport.shell.device;

import io.thingport.api.device.TopologyService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-bind", description = "Makes devices sub-devices of a gateway device",
        detailedDescription = "The gateway then reports, goes online and offline and answers commands for them on its own"
                + " connection (/child/{childId}/... of the official protocol). Example: iot:device-bind gw-1 lamp-1 lamp-2")
@Service
public class DeviceBindCommand extends IotCommand {
    @Reference
    TopologyService topology;

    @Argument(index = 0, name = "gateway", description = "Gateway device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String gatewayId;

    @Argument(index = 1, name = "children", description = "Sub-device ids", required = true, multiValued = true)
    @Completion(DeviceIdCompleter.class)
    List<String> children;

    @Override
    protected Object run() {
        for (String child : children) {
            topology.bind(gatewayId, child);
            println("Device " + child + " is a sub-device of gateway " + gatewayId);
        }
        return null;
    }
}
