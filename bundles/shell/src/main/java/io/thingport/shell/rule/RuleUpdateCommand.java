package io.thingport.shell.rule;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.RuleIdCompleter;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "iot", name = "rule-update", description = "Replaces a rule's statement and actions (as a new version); other rules"
        + " keep running",
        detailedDescription = "Example: iot:rule-update --version 3 --file rule.json, or iot:rule-update hot etc/hot.sql log:\n"
                + "Arguments and --file as for iot:rule-create (an action whose value needs a comma only in the JSON file)."
                + " The rule stays enabled or disabled as it is unless the file says \"enabled\"; without --description the"
                + " argument form keeps the description. With --version V the update is refused when V is not the current"
                + " version (someone else changed the rule).")
@Service
public class RuleUpdateCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Option(name = "--version", description = "Expected current version: refused when the rule has another one")
    Integer version;

    @Option(name = "--file", description = "The whole rule as JSON (as rule-export writes one); then no arguments")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--description", description = "New description (argument form)")
    String description;

    @Option(name = "--fallback", description = "A fallback action, type:key=value,... (repeatable)", multiValued = true)
    List<String> fallbacks;

    @Argument(index = 0, name = "id", description = "Rule id (without --file)")
    @Completion(RuleIdCompleter.class)
    String id;

    @Argument(index = 1, name = "statement-file", description = "File with the SQL statement (without --file)")
    @Completion(FileCompleter.class)
    String statementFile;

    @Argument(index = 2, name = "action", description = "Actions, type:key=value,key=value (without --file)", multiValued = true)
    List<String> actions;

    @Override
    protected Object run() {
        RuleInfo r = rules.update(definition(), version);
        println("Rule " + r.definition().id() + " updated (version " + r.version() + "): " + r.state());
        return null;
    }

    RuleDefinition definition() {
        if (file == null) {
            if (id == null) {
                throw ThingportException.invalidArgument("give <id> <statement-file> <action>... (at least one action),"
                        + " or the whole rule with --file rule.json");
            }
            RuleInfo current = current(id);
            return Rules.fromArguments(id, statementFile, actions, fallbacks,
                    description != null ? description : current.definition().description(), current.definition().enabled());
        }
        if (id != null || description != null || fallbacks != null && !fallbacks.isEmpty()) {
            throw ThingportException.invalidArgument("--file holds the whole rule: give no <id>, statement file, action,"
                    + " --description or --fallback with it");
        }
        // "enabled" missing from the file: the rule keeps its state
        return Rules.fromFile(file, ruleId -> current(ruleId).definition().enabled());
    }

    private RuleInfo current(String ruleId) {
        return rules.get(ruleId).orElseThrow(() -> ThingportException.notFound("rule", ruleId));
    }
}
