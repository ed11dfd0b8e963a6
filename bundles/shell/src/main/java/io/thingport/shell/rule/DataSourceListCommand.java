package io.thingport.shell.rule;

import io.thingport.api.rule.DataSourceInfo;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "datasource-list", description = "Lists the data sources: type, settings (secrets masked) and the"
        + " rules that use each")
@Service
public class DataSourceListCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Name", "Type", "Settings", "Used by");
        for (DataSourceInfo d : rules.dataSources()) {
            List<String> settings = new ArrayList<>();
            // in key order, the secret values (password, secret) already masked: DataSourceInfo never holds them
            d.options().forEach((k, v) -> settings.add(k + "=" + v));
            table.row(d.name(), d.type(), String.join(" ", settings), String.join(",", d.usedBy()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
