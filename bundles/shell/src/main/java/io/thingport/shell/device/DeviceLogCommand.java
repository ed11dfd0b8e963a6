package io.thingport.shell.device;

import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.LogQuery;
import io.thingport.api.device.LogType;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

@Command(scope = "iot", name = "device-log", description = "Shows a device's log (uplinks, downlinks, online/offline, refused logins),"
        + " or of all devices or a product's, by type and time; --follow keeps printing new entries until Ctrl-C",
        detailedDescription = "Live debugging: iot:device-log --follow --raw dev-1 (or --product P --type uplink --follow --hex)"
                + " prints the newest entries, then every new one that meets the filters until Ctrl-C or the session closes.\n"
                + "--raw adds the payload as sent (text, or base64:... for binary) and the decoded message (JSON); --hex shows the"
                + " payload's bytes as hex instead.\n"
                + "History: --from/--to/--type/--product select, --limit sizes a page (newest last); a full page ends with the"
                + " --before option of the page before it.")
@Service
public class DeviceLogCommand extends IotCommand {
    static final String TRUNCATED = "[payload truncated]";

    @Reference
    DeviceLogService log;

    /** The session's own console: System.out is bound to the command's thread, the followers run on another one. */
    @Reference
    Session session;

    @Argument(index = 0, name = "device", description = "Device id (omit for all devices)")
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Option(name = "--limit", description = "How many recent entries (default 20; at most 1000 with --product, --type, --from or --to)")
    int limit = 20;

    @Option(name = "--product", description = "Only entries of this product's devices")
    @Completion(ProductIdCompleter.class)
    String productId;

    @Option(name = "--type", description = "Only entries of this type (repeatable): uplink, downlink, rejected, online, offline,"
            + " auth_refused, registered", multiValued = true)
    @Completion(value = StringsCompleter.class, values = {"uplink", "downlink", "rejected", "online", "offline", "auth_refused",
        "registered"})
    List<String> types;

    @Option(name = "--from", description = "Only entries from this time on (ISO-8601 instant, e.g. 2026-12-03T10:00:00Z)")
    String from;

    @Option(name = "--to", description = "Only entries before this time (ISO-8601 instant)")
    String to;

    @Option(name = "--follow", aliases = "-f", description = "Keep printing new entries until Ctrl-C")
    boolean follow;

    @Option(name = "--duration", description = "With --follow: stop after this many seconds (for scripts)")
    int duration;

    @Option(name = "--raw", description = "Also print raw payloads and decoded messages (as stored: the first deviceLog.maxPayloadBytes"
            + " of each, see etc/io.thingport.storage.cfg)")
    boolean raw;

    @Option(name = "--hex", description = "As --raw, with the raw payload's bytes in hex (binary and text alike)")
    boolean hex;

    @Option(name = "--before", description = "History page: only entries older than this entry (the --before a full page prints)")
    Long before;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() throws Exception {
        raw |= hex;
        Table table = new Table("Time", "Device", "Type", "Message", "Id", "Topic", "Detail");
        if (raw) {
            table.column(hex ? "Raw (hex)" : "Raw").column("Decoded");
        }
        LogQuery query = query();
        List<DeviceLogEntry> entries = query == null ? log.recent(deviceId, limit) : oldestFirst(log.query(query));
        for (DeviceLogEntry e : entries) {
            row(table, e);
        }
        table.print(System.out, noFormat);
        if (!follow) {
            if (!noFormat && query != null && entries.size() == query.limit()) {
                println("More: --before " + entries.get(0).id());
            }
            return null;
        }
        PrintStream out = session.getConsole();
        AtomicReference<String> ended = new AtomicReference<>();
        Consumer<DeviceLogEntry> print = query == null ? e -> out.println(line(e)) : e -> {
            if (query.matches(e)) {
                out.println(line(e));
            }
        };
        try (AutoCloseable handle = log.follow(deviceId, print, ended::set)) {
            long end = duration > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(duration) : Long.MAX_VALUE;
            while (System.nanoTime() < end && ended.get() == null && !out.checkError()) {
                // Ctrl-C interrupts this thread; a closed session fails the console's writes (checkError); the handle
                // is closed on the way out either way.
                TimeUnit.MILLISECONDS.sleep(200);
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ended.get() != null) {
            // The platform does not wait for a console: one that could not keep up is ended, never the devices.
            println("Follow ended: " + ended.get() + " (the console did not keep up)");
        }
        return null;
    }

    /** The query of the filters given, or {@code null} without any (the device's or the whole log's newest entries). */
    private LogQuery query() {
        Instant since = Values.instant("--from", from);
        Instant until = Values.instant("--to", to);
        if (productId == null && (types == null || types.isEmpty()) && since == null && until == null && before == null) {
            return null;
        }
        if (before != null && follow) {
            throw ThingportException.invalidArgument("--before pages back through the history: it cannot be combined with --follow");
        }
        Set<LogType> wanted = EnumSet.noneOf(LogType.class);
        for (String type : types == null ? List.<String>of() : types) {
            wanted.add(logType(type));
        }
        return new LogQuery(deviceId, productId, wanted, null, since, until, null, before, limit);
    }

    private static LogType logType(String name) {
        try {
            return LogType.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw ThingportException.invalidArgument("--type '" + name + "' is not an entry type: it is one of "
                    + Arrays.stream(LogType.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    /** Entries newest first, as the query returns them, in the table's order (the newest last, as without filters). */
    private static List<DeviceLogEntry> oldestFirst(List<DeviceLogEntry> newestFirst) {
        List<DeviceLogEntry> out = new ArrayList<>(newestFirst);
        Collections.reverse(out);
        return out;
    }

    private void row(Table table, DeviceLogEntry e) {
        String type = e.type().name().toLowerCase();
        if (raw) {
            table.row(Values.time(e.timestamp()), e.deviceId(), type, e.messageType(), e.messageId(), e.topic(), detail(e),
                    RawPayloads.show(e.raw(), hex), e.decoded());
        } else {
            table.row(Values.time(e.timestamp()), e.deviceId(), type, e.messageType(), e.messageId(), e.topic(), detail(e));
        }
    }

    /** A followed entry: a {@code --no-format} row, escaped like the table's cells ({@link Table#line}). */
    private String line(DeviceLogEntry e) {
        String type = e.type().name().toLowerCase();
        return raw ? Table.line(Values.time(e.timestamp()), e.deviceId(), type, e.messageType(), e.messageId(), e.topic(), detail(e),
                RawPayloads.show(e.raw(), hex), e.decoded())
                : Table.line(Values.time(e.timestamp()), e.deviceId(), type, e.messageType(), e.messageId(), e.topic(), detail(e));
    }

    /** The entry's detail, and a mark when the log kept only the start of its payload (it says so with or without --raw). */
    private static String detail(DeviceLogEntry e) {
        return !e.truncated() ? e.detail() : e.detail().isEmpty() ? TRUNCATED : e.detail() + " " + TRUNCATED;
    }
}
