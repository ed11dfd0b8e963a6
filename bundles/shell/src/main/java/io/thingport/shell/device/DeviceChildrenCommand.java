package io.thingport.shell.device;

import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.TopologyService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-children", description = "Lists a gateway's sub-devices with their state")
@Service
public class DeviceChildrenCommand extends IotCommand {
    @Reference
    TopologyService topology;

    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "gateway", description = "Gateway device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String gatewayId;

    @Option(name = "--no-format", description = "Tab-separated, no header")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Id", "Product", "Enabled", "State", "Last online");
        for (String id : topology.children(gatewayId)) {
            devices.findDevice(id).ifPresent((Device d) -> table.row(d.id(), d.productId(), d.enabled() ? "yes" : "no",
                    d.state().online() ? "online" : "offline", Values.time(d.state().lastOnline())));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
