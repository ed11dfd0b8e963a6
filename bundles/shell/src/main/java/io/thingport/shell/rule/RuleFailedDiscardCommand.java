package io.thingport.shell.rule;

import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.RuleIdCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "rule-failed-discard", description = "Deletes failed messages from the store (one by id, all of a rule,"
        + " or all)",
        detailedDescription = "Exactly one of: <id> (see iot:rule-failed-list), --rule R, --all.")
@Service
public class RuleFailedDiscardCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Option(name = "--rule", description = "All failed messages of this rule")
    @Completion(RuleIdCompleter.class)
    String ruleId;

    @Option(name = "--all", description = "All failed messages")
    boolean all;

    @Argument(index = 0, name = "id", description = "Failed message id")
    Long id;

    @Override
    protected Object run() {
        FailedSelection selection = FailedSelection.of(id, ruleId, all);
        int count = rules.discard(selection.id(), selection.ruleId());
        println(count + " message(s) discarded (" + selection.describe() + ")");
        return null;
    }
}
