package io.thingport.shell.device;

import io.thingport.api.device.Device;
import io.thingport.api.device.DevicePage;
import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceStatus;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

@Command(scope = "iot", name = "device-list", description = "Lists devices, one page at a time, by product, status, tag and id prefix,"
        + " with the number of devices per status",
        detailedDescription = "Columns: id, product, name, MAC, status, first online, online count, last online, tags.\n"
                + "Statuses: online; offline (connected before); never-connected; disabled (whatever it did before).\n"
                + "Example: iot:device-list --product sensor --status offline --tag room=2.14 --tag floor=2\n"
                + "         iot:device-list --gateway gw-1 (a gateway's sub-devices)\n"
                + "A full page ends with the --cursor of the next one; the last line counts the devices of the filters per status"
                + " (--status aside). --no-format prints the rows only.")
@Service
public class DeviceListCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Option(name = "--product", description = "Only devices of this product")
    @Completion(ProductIdCompleter.class)
    String productId;

    @Option(name = "--status", description = "Only devices with this status: online, offline, never-connected, disabled")
    @Completion(value = StringsCompleter.class, values = {"online", "offline", "never-connected", "disabled"})
    String status;

    @Option(name = "--tag", description = "Only devices with this tag, key=value (repeatable: all must match)", multiValued = true)
    List<String> tags;

    @Option(name = "--prefix", description = "Only devices whose id starts with this text")
    String prefix;

    @Option(name = "--gateway", description = "Only the sub-devices of this gateway device")
    @Completion(DeviceIdCompleter.class)
    String gateway;

    @Option(name = "--limit", description = "Devices per page, 1 to 1000 (default 100)")
    int limit = 100;

    @Option(name = "--cursor", description = "The page after the one that printed this cursor")
    String cursor;

    @Option(name = "--no-format", description = "Plain tab-separated rows for scripts (no page or count lines)")
    boolean noFormat;

    @Override
    protected Object run() {
        DeviceStatus wanted = status == null ? null : DeviceStatus.parse(status);
        DeviceQuery query = new DeviceQuery(productId == null ? null : Set.of(productId), wanted, DeviceQuery.parseTags(tags), prefix,
                gateway, cursor, limit);
        DevicePage page = devices.queryDevices(query);
        Table table = new Table("Id", "Product", "Name", "MAC", "Status", "First online", "Online count", "Last online", "Tags");
        for (Device d : page.devices()) {
            table.row(d.id(), d.productId(), d.name(), d.mac() == null ? "-" : d.mac(), d.status().label(),
                    Values.time(d.state().firstOnline()), d.state().onlineCount(), Values.time(d.state().lastOnline()), tags(d.tags()));
        }
        table.print(System.out, noFormat);
        if (noFormat) {
            return null;
        }
        if (page.next() != null) {
            println("More: --cursor " + page.next());
        }
        println(counts(devices.countByStatus(query)));
        return null;
    }

    /** Tags as {@code key=value} pairs, by key. */
    static String tags(Map<String, String> tags) {
        return tags.isEmpty() ? "-" : tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The counts line: {@code 6 devices: 2 online, 1 offline, 2 never-connected, 1 disabled}. */
    static String counts(Map<DeviceStatus, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return total + (total == 1 ? " device: " : " devices: ") + List.of(DeviceStatus.values()).stream()
                .map(s -> counts.getOrDefault(s, 0L) + " " + s.label()).collect(Collectors.joining(", "));
    }
}
