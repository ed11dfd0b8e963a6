package io.thingport.shell.device;

import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.PropertyBucket;
import io.thingport.api.device.PropertyPage;
import io.thingport.api.device.PropertyValue;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-props", description = "Shows a device's latest property values, or one property's history"
        + " (--from/--to: within a time range; --interval: downsampled)")
@Service
public class DevicePropsCommand extends IotCommand {
    /** The most values the platform returns per page of a history. */
    static final int PAGE = 1000;
    /** The most history values one call shows (a larger --limit shows this many, as the platform's older history call did). */
    static final int MAX_VALUES = 10_000;

    @Reference
    DeviceService devices;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Option(name = "--history", description = "Show the stored values of this property, newest first")
    String history;

    @Option(name = "--limit", description = "How many history values (default 20, at most 10000)")
    int limit = 20;

    @Option(name = "--from", description = "With --history: values from this time on (ISO-8601 instant, e.g. 2026-12-03T10:00:00Z)")
    String from;

    @Option(name = "--to", description = "With --history: values before this time (ISO-8601 instant)")
    String to;

    @Option(name = "--interval", description = "With --history, --from and --to: the values between them downsampled into buckets of"
            + " this length (ISO-8601 duration, e.g. PT1M), oldest first: count, min/max/avg of numbers, last value")
    String interval;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Instant since = Values.instant("--from", from);
        Instant until = Values.instant("--to", to);
        Duration bucket = Values.duration("--interval", interval);
        if (history == null && (since != null || until != null || bucket != null)) {
            throw ThingportException.invalidArgument("--from, --to and --interval go with --history <property>");
        }
        if (bucket != null) {
            if (since == null || until == null) {
                throw ThingportException.invalidArgument("--interval needs --from and --to");
            }
            printSeries(devices.propertySeries(id, history, since, until, bucket));
            return null;
        }
        Table table = new Table("Property", "Value", "Time");
        Iterable<PropertyValue> values = history == null ? devices.latestProperties(id).values() : history(since, until);
        for (PropertyValue v : values) {
            table.row(v.property(), v.json(), Values.time(v.timestamp()));
        }
        table.print(System.out, noFormat);
        return null;
    }

    /**
     * The newest {@code --limit} values (within the range, when given): pages of the history until there are as many or
     * no more.
     */
    private List<PropertyValue> history(Instant since, Instant until) {
        if (limit < 1) {
            throw ThingportException.invalidArgument("--limit " + limit + " must be at least 1");
        }
        int n = Math.min(limit, MAX_VALUES);
        List<PropertyValue> out = new ArrayList<>();
        String cursor = null;
        do {
            PropertyPage page = devices.propertyHistory(id, history, since, until, cursor, Math.min(n - out.size(), PAGE));
            out.addAll(page.values());
            cursor = page.next();
        } while (cursor != null && out.size() < n);
        return out;
    }

    private void printSeries(List<PropertyBucket> buckets) {
        Table table = new Table("Start", "Count", "Min", "Max", "Avg", "Last");
        for (PropertyBucket b : buckets) {
            table.row(Values.time(b.start()), b.count(), number(b.min()), number(b.max()), number(b.avg()), Values.json(b.last()));
        }
        table.print(System.out, noFormat);
    }

    private static String number(Double d) {
        return d == null ? "-" : Values.json(d);
    }
}
