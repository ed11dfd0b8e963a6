package io.thingport.shell.shadow;

import io.thingport.api.shadow.ShadowService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "shadow-delete", description = "Empties a device's shadow (desired and reported); its version goes on")
@Service
public class ShadowDeleteCommand extends IotCommand {
    @Reference
    ShadowService shadows;

    @Argument(index = 0, name = "device", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Override
    protected Object run() {
        long version = shadows.delete(deviceId).version();
        println("Shadow of device " + deviceId + " emptied (version " + version + ")");
        return null;
    }
}
