package io.thingport.shell.rule;

import io.thingport.api.rule.RuleService;
import io.thingport.api.rule.RuleVersion;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.RuleIdCompleter;
import io.thingport.shell.support.Table;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "rule-history", description = "A rule's versions: when and how it changed, the start of each"
        + " statement (iot:rule-rollback makes one current again)")
@Service
public class RuleHistoryCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Argument(index = 0, name = "id", description = "Rule id", required = true)
    @Completion(RuleIdCompleter.class)
    String id;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Version", "Changed", "Change", "Enabled", "Actions", "Statement");
        for (RuleVersion v : rules.history(id)) {
            table.row(v.version(), Rules.time(v.changedAt()), v.change(), v.definition().enabled(),
                    String.join(",", v.definition().actions().stream().map(a -> a.type()).toList()), Rules.summary(v.definition().sql()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
