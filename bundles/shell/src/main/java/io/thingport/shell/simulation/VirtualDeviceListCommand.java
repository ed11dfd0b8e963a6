package io.thingport.shell.simulation;

import io.thingport.api.simulation.VirtualDeviceInfo;
import io.thingport.api.simulation.VirtualDeviceService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "virtual-device-list", description = "Lists the running virtual devices and their current values")
@Service
public class VirtualDeviceListCommand extends IotCommand {
    @Reference
    VirtualDeviceService virtualDevices;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Device", "Product", "State", "Network", "Interval", "Sent", "Acked", "Commands", "Values", "Detail");
        for (VirtualDeviceInfo d : virtualDevices.list()) {
            table.row(d.deviceId(), d.productId(), d.state(), d.network(), VirtualDevices.interval(d.interval()), d.sent(), d.acked(),
                    d.commands(), Values.json(d.values()), d.detail());
        }
        table.print(System.out, noFormat);
        return null;
    }
}
