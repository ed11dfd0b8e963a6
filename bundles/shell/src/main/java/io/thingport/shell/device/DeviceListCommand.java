package io.thingport.shell.device;

import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-list", description = "Lists devices")
@Service
public class DeviceListCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Option(name = "--product", description = "Only devices of this product")
    @Completion(ProductIdCompleter.class)
    String productId;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Id", "Product", "Name", "Enabled", "State", "Last online");
        for (Device d : devices.listDevices(productId)) {
            table.row(d.id(), d.productId(), d.name(), d.enabled() ? "yes" : "no",
                    d.state().online() ? "online" : "offline", Values.time(d.state().lastOnline()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
