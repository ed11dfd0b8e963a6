package io.thingport.shell.access;

import io.thingport.api.access.AccessLogService;
import io.thingport.api.access.AccessQuery;
import io.thingport.api.access.AccessRecord;
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

@Command(scope = "iot", name = "access-log", description = "Shows the access log: every Open API call and shell command, who made it,"
        + " from where, with what result; the newest matching records, oldest first")
@Service
public class AccessLogCommand extends IotCommand {
    @Reference
    AccessLogService log;

    @Option(name = "--from", description = "Not before this ISO-8601 instant, e.g. 2026-12-01T08:00:00Z")
    String from;

    @Option(name = "--to", description = "Before this ISO-8601 instant")
    String to;

    @Option(name = "--channel", description = "api or shell")
    @Completion(value = StringsCompleter.class, values = {"api", "shell"})
    String channel;

    @Option(name = "--principal", description = "Only this user or application id")
    String principal;

    @Option(name = "--result", description = "ok, error (every failure) or one error code such as unauthenticated")
    @Completion(value = StringsCompleter.class, values = {"ok", "error", "unauthenticated", "forbidden", "not_found",
        "invalid_argument", "rate_limited"})
    String result;

    @Option(name = "--before", description = "Only records older than this id (the next page back)")
    Long before;

    @Option(name = "--limit", description = "How many records, 1 to 1000 (default 50)")
    int limit = 50;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        List<AccessRecord> records = new ArrayList<>(log.query(new AccessQuery(Values.instant("--from", from), Values.instant("--to", to),
                channel, principal, result, before, limit)));
        Collections.reverse(records);
        Table table = new Table("Id", "Time", "Channel", "Principal", "Kind", "Action", "Source", "Status", "Result", "Ms");
        for (AccessRecord r : records) {
            table.row(r.id(), Values.time(r.timestamp()), r.channel(), r.principal(), r.kind(), r.action(), r.source(), r.status(),
                    r.result(), r.durationMs());
        }
        table.print(System.out, noFormat);
        return null;
    }
}
