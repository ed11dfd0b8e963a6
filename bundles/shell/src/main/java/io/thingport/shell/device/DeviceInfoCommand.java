package io.thingport.shell.device;

import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-info", description = "Shows a device and its connection state")
@Service
public class DeviceInfoCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        Device d = devices.getDevice(id);
        System.out.println("Id:           " + d.id());
        System.out.println("Product:      " + d.productId());
        System.out.println("Name:         " + d.name());
        System.out.println("Enabled:      " + (d.enabled() ? "yes" : "no"));
        System.out.println("State:        " + (d.state().online() ? "online" : "offline"));
        System.out.println("First online: " + Values.time(d.state().firstOnline()));
        System.out.println("Online count: " + d.state().onlineCount());
        System.out.println("Last online:  " + Values.time(d.state().lastOnline()));
        System.out.println("Last offline: " + Values.time(d.state().lastOffline()));
        System.out.println("Node:         " + (d.state().node() == null ? "-" : d.state().node()));
        System.out.println("Created:      " + Values.time(d.createdAt()));
        return null;
    }
}
