package io.thingport.shell.simulation;

import io.thingport.api.simulation.VirtualDeviceInfo;
import io.thingport.api.simulation.VirtualDeviceOptions;
import io.thingport.api.simulation.VirtualDeviceService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "virtual-device-start", description = "Runs a device as a virtual device inside the platform",
        detailedDescription = "The device connects to the platform's MQTT server with the official protocol, reports values"
                + " generated within its thing model (or the name=value pairs given, which stay fixed) every --interval"
                + " and answers reads, writes and function invocations.\nExample: iot:virtual-device-start --interval 5 dev-1 temp=21.5")
@Service
public class VirtualDeviceStartCommand extends IotCommand {
    private static final long ONLINE_WAIT_MS = 10_000;

    @Reference
    VirtualDeviceService virtualDevices;

    @Argument(index = 0, name = "device", description = "Device id (an existing device)", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "values", description = "name=value pairs it reports instead of generated values", multiValued = true)
    List<String> values;

    @Option(name = "--interval", description = "Seconds (or ISO-8601, PT1M) between reports; 0 for none (default 10)")
    String interval;

    @Override
    protected Object run() throws InterruptedException {
        VirtualDeviceInfo info = virtualDevices.start(deviceId,
                new VirtualDeviceOptions(Values.seconds("--interval", interval), Values.assignments(values)));
        // Wait a little for its login, so that a script can command it next (a slow login is not an error: it goes on).
        long deadline = System.currentTimeMillis() + ONLINE_WAIT_MS;
        while (!"online".equals(info.state()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            info = virtualDevices.find(deviceId).orElse(info);
        }
        println("Virtual device " + info.deviceId() + " started on " + info.network() + " (" + info.state()
                + (info.detail().isEmpty() ? "" : ": " + info.detail()) + "; reports every " + VirtualDevices.interval(info.interval())
                + ")");
        return null;
    }
}
