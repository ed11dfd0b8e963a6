package io.thingport.shell.device;

import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.NewDevice;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-create", description = "Creates a device and prints its secret (the only time it is shown in full)")
@Service
public class DeviceCreateCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "product", description = "Product id", required = true)
    @Completion(ProductIdCompleter.class)
    String productId;

    @Argument(index = 1, name = "id", description = "Device id (letters, digits, _ . : -)", required = true)
    String id;

    @Option(name = "--name", description = "Display name (default: the id)")
    String name;

    @Option(name = "--secret", description = "Device secret, 8 to 128 printable characters (default: generated)")
    String secret;

    @Option(name = "--mac", description = "MAC address (aa:bb:cc:dd:ee:ff, with - or as aabb.ccdd.eeff or 12 hex digits)")
    String mac;

    @Override
    protected Object run() {
        CreatedDevice d = devices.createDevice(new NewDevice(id, productId, name, secret, mac));
        println("Device " + d.device().id() + " created in product " + d.device().productId());
        println("device secret: " + d.secret());
        return null;
    }
}
