package io.thingport.shell.device;

import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.WriteProperties;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Replies;
import io.thingport.shell.support.Values;
import java.time.Duration;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-write", description = "Writes properties of a device and waits for its reply"
        + " (queues it for a sleepy device that is not connected)",
        detailedDescription = "Example: iot:device-write dev-1 led=true level=40")
@Service
public class DeviceWriteCommand extends IotCommand {
    @Reference
    DeviceMessageSender sender;

    @Argument(index = 0, name = "device", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "values", description = "name=value pairs", required = true, multiValued = true)
    List<String> values;

    @Option(name = "--timeout", description = "Seconds to wait for the reply (default 10)")
    int timeout = 10;

    @Override
    protected Object run() throws Exception {
        WriteProperties command = new WriteProperties(MessageHeader.of(sender.newMessageId(), null, deviceId, System.currentTimeMillis()),
                Values.assignments(values));
        Replies.await(sender.submit(command, Duration.ofSeconds(timeout)), deviceId, System.out);
        return null;
    }
}
