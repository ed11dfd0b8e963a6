package io.thingport.shell.rule;

import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.RuleIdCompleter;
import io.thingport.shell.support.Terminal;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "rule-delete", description = "Deletes rules (each stops at once; the others keep running)")
@Service
public class RuleDeleteCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Argument(index = 0, name = "ids", description = "Rule ids", required = true, multiValued = true)
    @Completion(RuleIdCompleter.class)
    List<String> ids;

    @Override
    protected Object run() {
        List<String> failures = new ArrayList<>();
        for (String id : ids) {
            try {
                rules.delete(id);
                println("Rule " + id + " deleted");
            } catch (RuntimeException e) {
                failures.add(id + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            String message = failures.size() + " rule(s) not deleted:\n  " + String.join("\n  ", failures);
            throw new IllegalStateException(Terminal.escapeText(message));
        }
        return null;
    }
}
