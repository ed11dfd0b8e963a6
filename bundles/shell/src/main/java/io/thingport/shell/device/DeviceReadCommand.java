package io.thingport.shell.device;

import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Replies;
import java.time.Duration;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-read", description = "Asks a device for current property values and waits for its reply"
        + " (queues it for a sleepy device that is not connected)")
@Service
public class DeviceReadCommand extends IotCommand {
    @Reference
    DeviceMessageSender sender;

    @Argument(index = 0, name = "device", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "properties", description = "Property ids", required = true, multiValued = true)
    List<String> properties;

    @Option(name = "--timeout", description = "Seconds to wait for the reply (default 10)")
    int timeout = 10;

    @Override
    protected Object run() throws Exception {
        ReadProperties command = new ReadProperties(MessageHeader.of(sender.newMessageId(), null, deviceId, System.currentTimeMillis()),
                properties);
        Replies.await(sender.submit(command, Duration.ofSeconds(timeout)), deviceId, System.out);
        return null;
    }
}
