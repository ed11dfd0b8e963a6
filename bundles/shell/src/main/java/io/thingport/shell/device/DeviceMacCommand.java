package io.thingport.shell.device;

import io.thingport.api.ThingportException;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-mac", description = "Shows, sets or clears a device's MAC address",
        detailedDescription = "Example: iot:device-mac dev-1 AA-BB-CC-DD-EE-FF (stored as aa:bb:cc:dd:ee:ff; aabb.ccdd.eeff and"
                + " aabbccddeeff are taken too). A device also reports its own as the string property \"mac\" of its thing model;"
                + " a report replaces the address set here.")
@Service
public class DeviceMacCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Argument(index = 1, name = "mac", description = "The MAC address (omit to show the current one)")
    String mac;

    @Option(name = "--clear", description = "Remove the MAC address")
    boolean clear;

    @Override
    protected Object run() {
        if (clear && mac != null) {
            throw ThingportException.invalidArgument("give a MAC address or --clear, not both");
        }
        Device d = clear || mac != null ? devices.setMac(id, clear ? null : mac) : devices.getDevice(id);
        println("Device " + d.id() + " MAC: " + (d.mac() == null ? "-" : d.mac()));
        return null;
    }
}
