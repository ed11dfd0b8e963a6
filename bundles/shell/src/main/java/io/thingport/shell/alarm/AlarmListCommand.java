package io.thingport.shell.alarm;

import io.thingport.api.device.AlarmPage;
import io.thingport.api.device.AlarmQuery;
import io.thingport.api.device.AlarmService;
import io.thingport.api.device.DeviceAlarm;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "alarm-list", description = "Lists device alarms and faults (raised and cleared by the reports of"
        + " thing-model properties of kind alarm or fault), newest first")
@Service
public class AlarmListCommand extends IotCommand {
    @Reference
    AlarmService alarms;

    @Option(name = "--device", description = "Only this device's alarms")
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Option(name = "--product", description = "Only the alarms of this product's devices")
    @Completion(ProductIdCompleter.class)
    String productId;

    @Option(name = "--active", description = "Only alarms not cleared yet")
    boolean activeOnly;

    @Option(name = "--from", description = "Only alarms raised from this time on (ISO-8601 instant, e.g. 2026-12-03T10:00:00Z)")
    String from;

    @Option(name = "--to", description = "Only alarms raised before this time (ISO-8601 instant)")
    String to;

    @Option(name = "--before", description = "Only alarms with a smaller id: the cursor the previous page printed")
    Long beforeId;

    @Option(name = "--limit", description = "How many alarms (default 20, at most 1000)")
    int limit = 20;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        AlarmPage page = alarms.listAlarms(new AlarmQuery(deviceId, productId, activeOnly, Values.instant("--from", from),
                Values.instant("--to", to), beforeId, limit));
        Table table = new Table("Id", "Device", "Product", "Property", "Kind", "Value", "Raised", "Cleared", "Acknowledged");
        for (DeviceAlarm a : page.alarms()) {
            table.row(a.id(), a.deviceId(), a.productId(), a.property(), a.kind().name().toLowerCase(), a.value(),
                    Values.time(a.raisedAt()), a.active() ? "active" : Values.time(a.clearedAt()),
                    a.acknowledged() ? a.acknowledgedBy() + " " + Values.time(a.acknowledgedAt()) : "-");
        }
        table.print(System.out, noFormat);
        if (page.next() != null) {
            println("More: --before " + page.next());
        }
        return null;
    }
}
