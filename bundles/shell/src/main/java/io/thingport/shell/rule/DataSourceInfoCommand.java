package io.thingport.shell.rule;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.DataSourceInfo;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.DataSourceNameCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "datasource-info", description = "Shows a data source: type, settings (secrets masked) and the rules"
        + " that use it")
@Service
public class DataSourceInfoCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Argument(index = 0, name = "name", description = "Data source name", required = true)
    @Completion(DataSourceNameCompleter.class)
    String name;

    @Override
    protected Object run() {
        DataSourceInfo d = rules.dataSource(name).orElseThrow(() -> ThingportException.notFound("data source", name));
        println("Name:     " + d.name());
        println("Type:     " + d.type());
        println("Created:  " + Rules.time(d.createdAt()));
        println("Used by:  " + (d.usedBy().isEmpty() ? "-" : String.join(", ", d.usedBy())));
        println("Settings:");
        // in key order, the secret values (password, secret) already masked: DataSourceInfo never holds them
        d.options().forEach((k, v) -> println("  " + k + " = " + v));
        return null;
    }
}
