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

@Command(scope = "iot", name = "rule-rollback", description = "Makes an earlier version of a rule current again (stored as a new"
        + " version; see iot:rule-history)")
@Service
public class RuleRollbackCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Argument(index = 0, name = "id", description = "Rule id", required = true)
    @Completion(RuleIdCompleter.class)
    String id;

    @Argument(index = 1, name = "version", description = "The version to go back to", required = true)
    int version;

    @Override
    protected Object run() {
        RuleInfo r = rules.rollback(id, version);
        println("Rule " + r.definition().id() + " rolled back to version " + version + " (now version " + r.version() + "): "
                + r.state());
        return null;
    }
}
