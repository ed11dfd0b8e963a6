package io.thingport.shell.rule;

import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "rule-list", description = "Lists the rules: state (running / disabled / failed: why), version and"
        + " the start of the statement")
@Service
public class RuleListCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Id", "State", "Version", "Enabled", "Statement", "Updated");
        for (RuleInfo r : rules.list()) {
            table.row(r.definition().id(), r.state(), r.version(), r.definition().enabled(), Rules.summary(r.definition().sql()),
                    Rules.time(r.updatedAt()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
