package io.thingport.shell.rule;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "iot", name = "rule-create", description = "Creates a rule: a statement (from a file) and the actions its rows go to",
        detailedDescription = "Example: iot:rule-create --fallback log: hot etc/hot.sql kafka:datasource=k1,topic=temps,key=${deviceId}\n"
                + "The statement file holds the SQL text (SELECT ... FROM \"<topic filter>\" WHERE ...). Each action is"
                + " type:key=value,key=value (log: for an action without options); a value runs up to the next comma, so an"
                + " action whose value needs a comma (a JSON body template) can only be given in a rule's JSON file.\n"
                + "iot:rule-create --file rule.json takes the whole rule ({\"id\",\"description\",\"sql\",\"enabled\",\"actions\":"
                + "[{\"type\",\"options\":{}}],\"fallbacks\":[...]}, as iot:rule-export writes one; enabled when it does not say);"
                + " then no <id>, statement file, action, --description or --fallback is given, only --disabled.")
@Service
public class RuleCreateCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Option(name = "--file", description = "The whole rule as JSON (as rule-export writes one); then no arguments")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--description", description = "Description")
    String description;

    @Option(name = "--disabled", description = "Create the rule disabled (it does not run until iot:rule-enable)")
    boolean disabled;

    @Option(name = "--fallback", description = "A fallback action, type:key=value,... (repeatable): where a row goes when an action"
            + " gave up on it", multiValued = true)
    List<String> fallbacks;

    @Argument(index = 0, name = "id", description = "Rule id (without --file)")
    String id;

    @Argument(index = 1, name = "statement-file", description = "File with the SQL statement (without --file)")
    @Completion(FileCompleter.class)
    String statementFile;

    @Argument(index = 2, name = "action", description = "Actions, type:key=value,key=value (without --file)", multiValued = true)
    List<String> actions;

    @Override
    protected Object run() {
        RuleInfo r = rules.create(definition());
        println("Rule " + r.definition().id() + " created (version " + r.version() + "): " + r.state());
        return null;
    }

    RuleDefinition definition() {
        if (file == null) {
            return Rules.fromArguments(id, statementFile, actions, fallbacks, description, !disabled);
        }
        if (id != null || description != null || fallbacks != null && !fallbacks.isEmpty()) {
            throw ThingportException.invalidArgument("--file holds the whole rule: give no <id>, statement file, action,"
                    + " --description or --fallback with it");
        }
        RuleDefinition rule = Rules.fromFile(file, ruleId -> true);
        return disabled ? rule.withEnabled(false) : rule;
    }
}
