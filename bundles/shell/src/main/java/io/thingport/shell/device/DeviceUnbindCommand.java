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

@Command(scope = "iot", name = "device-unbind", description = "Unbinds sub-devices from their gateway (online ones go offline)")
@Service
public class DeviceUnbindCommand extends IotCommand {
    @Reference
    TopologyService topology;

    @Argument(index = 0, name = "children", description = "Sub-device ids", required = true, multiValued = true)
    @Completion(DeviceIdCompleter.class)
    List<String> children;

    @Override
    protected Object run() {
        for (String child : children) {
            String gateway = topology.gatewayOf(child).orElse("-");
            topology.unbind(child);
            println("Device " + child + " is no longer a sub-device of gateway " + gateway);
        }
        return null;
    }
}
