package io.thingport.shell.access;

import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogQuery;
import io.thingport.api.access.SystemLogService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

@Command(scope = "iot", name = "system-log", description = "Shows the system log: network components, gateways, protocol packages"
        + " and rules started, changed or failing, configuration changes; the newest matching events, oldest first")
@Service
public class SystemLogCommand extends IotCommand {
    @Reference
    SystemLogService log;

    @Option(name = "--from", description = "Not before this ISO-8601 instant, e.g. 2026-12-01T08:00:00Z")
    String from;

    @Option(name = "--to", description = "Before this ISO-8601 instant")
    String to;

    @Option(name = "--level", description = "This level or a more severe one: INFO, WARN or ERROR")
    @Completion(value = StringsCompleter.class, values = {"INFO", "WARN", "ERROR"})
    String level;

    @Option(name = "--category", description = "component, gateway, protocol, config, rule, access or error")
    @Completion(value = StringsCompleter.class, values = {"component", "gateway", "protocol", "config", "rule", "access", "error"})
    String category;

    @Option(name = "--source", description = "What it is about: a component's, gateway's, package's, rule's or application's name")
    String source;

    @Option(name = "--before", description = "Only events older than this id (the next page back)")
    Long before;

    @Option(name = "--limit", description = "How many events, 1 to 1000 (default 50)")
    int limit = 50;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        List<SystemEvent> events = new ArrayList<>(log.query(new SystemLogQuery(Values.instant("--from", from),
                Values.instant("--to", to), level, category, source, before, limit)));
        Collections.reverse(events);
        Table table = new Table("Id", "Time", "Level", "Category", "Source", "Message");
        for (SystemEvent e : events) {
            table.row(e.id(), Values.time(e.timestamp()), e.level(), e.category(), e.source(), e.message());
        }
        table.print(System.out, noFormat);
        return null;
    }
}
