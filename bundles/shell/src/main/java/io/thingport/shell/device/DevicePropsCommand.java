package io.thingport.shell.device;

import io.thingport.api.device.DeviceService;
import io.thingport.api.device.PropertyValue;
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

@Command(scope = "iot", name = "device-props", description = "Shows a device's latest property values, or one property's history")
@Service
public class DevicePropsCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Option(name = "--history", description = "Show the stored values of this property, newest first")
    String history;

    @Option(name = "--limit", description = "How many history values (default 20)")
    int limit = 20;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Property", "Value", "Time");
        Iterable<PropertyValue> values = history == null ? devices.latestProperties(id).values()
                : devices.propertyHistory(id, history, limit);
        for (PropertyValue v : values) {
            table.row(v.property(), v.json(), Values.time(v.timestamp()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
