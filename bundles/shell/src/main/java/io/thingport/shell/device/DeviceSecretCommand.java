package io.thingport.shell.device;

import io.thingport.api.device.DeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-secret", description = "Rotates a device's secret: prints the new one, closes the"
        + " device's connection, and the old secret stops working at once")
@Service
public class DeviceSecretCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        String secret = devices.rotateSecret(id);
        println("New secret of " + id + ": " + secret);
        return null;
    }
}
