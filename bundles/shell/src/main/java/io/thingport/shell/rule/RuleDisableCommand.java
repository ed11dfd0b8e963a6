package io.thingport.shell.rule;

import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.RuleIdCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "rule-disable", description = "Disables a rule (it stops at once; other rules keep running; stored"
        + " as a new version)")
@Service
public class RuleDisableCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Argument(index = 0, name = "id", description = "Rule id", required = true)
    @Completion(RuleIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        RuleInfo r = rules.setEnabled(id, false);
        println("Rule " + r.definition().id() + " disabled (version " + r.version() + "): " + r.state());
        return null;
    }
}
