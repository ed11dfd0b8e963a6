package io.thingport.shell.shadow;

import io.thingport.api.shadow.ShadowService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "shadow-get", description = "Shows a device's shadow: desired, reported, delta, metadata, version")
@Service
public class ShadowGetCommand extends IotCommand {
    @Reference
    ShadowService shadows;

    @Argument(index = 0, name = "device", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Override
    protected Object run() {
        println(Values.prettyJson(shadows.get(deviceId).body(null)));
        return null;
    }
}
