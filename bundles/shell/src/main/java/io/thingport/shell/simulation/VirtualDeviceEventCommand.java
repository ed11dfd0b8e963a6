package io.thingport.shell.simulation;

import io.thingport.api.simulation.VirtualDeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "virtual-device-event", description = "Makes a virtual device raise an event",
        detailedDescription = "Without a value the event's data is generated from its output type.\n"
                + "Example: iot:virtual-device-event dev-1 overheat 91.5")
@Service
public class VirtualDeviceEventCommand extends IotCommand {
    @Reference
    VirtualDeviceService virtualDevices;

    @Argument(index = 0, name = "device", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "event", description = "Event id of the thing model", required = true)
    String eventId;

    @Argument(index = 2, name = "value", description = "The event's data (JSON, or text)")
    String value;

    @Override
    protected Object run() {
        virtualDevices.raiseEvent(deviceId, eventId, value == null ? null : Values.value(value));
        println("Event " + eventId + " raised by " + deviceId);
        return null;
    }
}
