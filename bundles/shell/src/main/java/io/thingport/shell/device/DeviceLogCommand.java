package io.thingport.shell.device;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

@Command(scope = "iot", name = "device-log", description = "Shows a device's log (uplinks, downlinks, online/offline, refused logins);"
        + " --follow keeps printing new entries until Ctrl-C")
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

    @Option(name = "--limit", description = "How many recent entries (default 20)")
    int limit = 20;

    @Option(name = "--follow", aliases = "-f", description = "Keep printing new entries until Ctrl-C")
    boolean follow;

    @Option(name = "--duration", description = "With --follow: stop after this many seconds (for scripts)")
    int duration;

    @Option(name = "--raw", description = "Also print raw payloads and decoded messages (as stored: the first deviceLog.maxPayloadBytes"
            + " of each, see etc/io.thingport.storage.cfg)")
    boolean raw;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() throws Exception {
        Table table = new Table("Time", "Device", "Type", "Message", "Id", "Topic", "Detail");
        if (raw) {
            table.column("Raw");
        }
        for (DeviceLogEntry e : log.recent(deviceId, limit)) {
            row(table, e);
        }
        table.print(System.out, noFormat);
        if (!follow) {
            return null;
        }
        PrintStream out = session.getConsole();
        AtomicReference<String> ended = new AtomicReference<>();
        try (AutoCloseable handle = log.follow(deviceId, e -> out.println(line(e)), ended::set)) {
            long end = duration > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(duration) : Long.MAX_VALUE;
            while (System.nanoTime() < end && ended.get() == null) {
                // Ctrl-C interrupts this thread; the handle is closed on the way out.
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

    private void row(Table table, DeviceLogEntry e) {
        String type = e.type().name().toLowerCase();
        if (raw) {
            table.row(Values.time(e.timestamp()), e.deviceId(), type, e.messageType(), e.messageId(), e.topic(), detail(e), e.raw());
        } else {
            table.row(Values.time(e.timestamp()), e.deviceId(), type, e.messageType(), e.messageId(), e.topic(), detail(e));
        }
    }

    /** A followed entry: a {@code --no-format} row, escaped like the table's cells ({@link Table#line}). */
    private String line(DeviceLogEntry e) {
        String type = e.type().name().toLowerCase();
        return raw ? Table.line(Values.time(e.timestamp()), e.deviceId(), type, e.messageType(), e.messageId(), e.topic(), detail(e),
                e.raw(), e.decoded())
                : Table.line(Values.time(e.timestamp()), e.deviceId(), type, e.messageType(), e.messageId(), e.topic(), detail(e));
    }

    /** The entry's detail, and a mark when the log kept only the start of its payload (it says so with or without --raw). */
    private static String detail(DeviceLogEntry e) {
        return !e.truncated() ? e.detail() : e.detail().isEmpty() ? TRUNCATED : e.detail() + " " + TRUNCATED;
    }
}
