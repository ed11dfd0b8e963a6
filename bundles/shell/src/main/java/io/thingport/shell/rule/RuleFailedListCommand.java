package io.thingport.shell.rule;

import io.thingport.api.rule.FailedMessage;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.RuleIdCompleter;
import io.thingport.shell.support.Table;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "rule-failed-list", description = "Lists the failed-message store, newest first: rows an action gave up"
        + " on (iot:rule-failed-show, -replay, -discard)")
@Service
public class RuleFailedListCommand extends IotCommand {
    static final int ERROR_LENGTH = 80;

    @Reference
    RuleService rules;

    @Option(name = "--rule", description = "Only this rule's failed messages")
    @Completion(RuleIdCompleter.class)
    String ruleId;

    @Option(name = "--limit", description = "How many (default 50)")
    int limit = 50;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Id", "Rule", "Action", "Device", "Attempts", "Failed at", "Error");
        for (FailedMessage f : rules.failed(ruleId, limit)) {
            table.row(f.id(), f.ruleId(), f.action(), f.deviceId(), f.attempts(), Rules.time(f.failedAt()),
                    Rules.cut(f.error(), ERROR_LENGTH));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
