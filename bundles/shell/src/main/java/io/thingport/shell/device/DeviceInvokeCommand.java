package io.thingport.shell.device;

import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.MessageHeader;
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

@Command(scope = "iot", name = "device-invoke", description = "Invokes a device function and waits for its reply"
        + " (queues it for a sleepy device that is not connected)",
        detailedDescription = "Inputs are name=value; a value is read as JSON when it is valid JSON (5, true, \"text\"),"
                + " otherwise as a string. Example: iot:device-invoke dev-1 reboot delay=5")
@Service
public class DeviceInvokeCommand extends IotCommand {
    @Reference
    DeviceMessageSender sender;

    @Argument(index = 0, name = "device", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "function", description = "Function id", required = true)
    String functionId;

    @Argument(index = 2, name = "inputs", description = "name=value inputs", multiValued = true)
    List<String> inputs;

    @Option(name = "--timeout", description = "Seconds to wait for the reply (default 10)")
    int timeout = 10;

    @Override
    protected Object run() throws Exception {
        InvokeFunction command = new InvokeFunction(MessageHeader.of(sender.newMessageId(), null, deviceId, System.currentTimeMillis()),
                functionId, Values.assignments(inputs));
        Replies.await(sender.submit(command, Duration.ofSeconds(timeout)), deviceId, System.out);
        return null;
    }
}
