package io.thingport.shell.device;

import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandQueue;
import io.thingport.api.device.QueuedCommand;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import io.thingport.shell.support.WaitingCommandCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-queue", description = "Lists the commands queued for a sleepy (PSM, eDRX, DRX) device and"
        + " their states (queued, sent, replied, expired, failed, cancelled), oldest first; --cancel cancels a waiting one",
        detailedDescription = "Examples: iot:device-queue meter-1    iot:device-queue meter-1 --cancel 1a2b3c-7")
@Service
public class DeviceQueueCommand extends IotCommand {
    @Reference
    CommandQueue queue;

    @Argument(index = 0, name = "device", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Option(name = "--cancel", description = "Cancel this waiting command (its messageId) instead of listing")
    @Completion(WaitingCommandCompleter.class)
    String cancel;

    @Option(name = "--limit", description = "How many of the newest entries (default 20, at most 1000)")
    int limit = 20;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        if (cancel != null) {
            QueuedCommand q = queue.find(cancel).filter(c -> c.deviceId().equals(deviceId))
                    .orElseThrow(() -> ThingportException.notFound("queued command " + cancel + " of device", deviceId));
            queue.cancel(q.commandId());
            println("cancelled " + q.commandId());
            return null;
        }
        Table table = new Table("Command", "Type", "State", "Queued", "Expires", "Updated", "Code", "Message");
        for (QueuedCommand q : queue.list(deviceId, limit)) {
            table.row(q.commandId(), q.type(), q.state().wireName(), Values.time(q.queuedAt()), Values.time(q.expiresAt()),
                    Values.time(q.updatedAt()), q.code() == null ? "-" : q.code(), q.message() == null ? "-" : q.message());
        }
        table.print(System.out, noFormat);
        return null;
    }
}
