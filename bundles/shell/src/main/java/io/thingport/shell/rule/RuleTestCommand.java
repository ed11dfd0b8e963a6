package io.thingport.shell.rule;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.ActionSpec;
import io.thingport.api.rule.DryRunResult;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.RuleIdCompleter;
import io.thingport.shell.support.Values;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "iot", name = "rule-test", description = "Dry run: what a rule's statement selects from a sample message or a"
        + " device's stored messages, and what each action would receive (nothing is sent)",
        detailedDescription = "Examples: iot:rule-test --message sample.json hot\n"
                + "  iot:rule-test --device t-1 --count 5 --statement hot.sql\n"
                + "The rule: a stored rule's <id>, a rule JSON file (--file, as for iot:rule-create) or a statement file"
                + " (--statement, tried with one log action). The messages: --message FILE, one message as JSON"
                + " ({\"topic\":\"/thermo/t-1/properties/report\",\"payload\":{\"properties\":{\"temp\":31}}}), or --device D,"
                + " its last --count stored messages (10), newest first.")
@Service
public class RuleTestCommand extends IotCommand {
    static final String STATEMENT_RULE_ID = "rule-test";

    @Reference
    RuleService rules;

    @Option(name = "--message", description = "A sample message as JSON: {\"topic\":...,\"payload\":{...}}")
    @Completion(FileCompleter.class)
    String messageFile;

    @Option(name = "--device", description = "Try the device's last stored messages instead")
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Option(name = "--count", description = "With --device: how many stored messages (default 10)")
    int count = 10;

    @Option(name = "--file", description = "The rule as JSON (as for rule-create --file)")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--statement", description = "A statement file, tried with one log action")
    @Completion(FileCompleter.class)
    String statementFile;

    @Argument(index = 0, name = "id", description = "A stored rule's id (or --file, or --statement)")
    @Completion(RuleIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        if ((messageFile == null) == (deviceId == null)) {
            throw ThingportException.invalidArgument("give the messages to try: --message FILE or --device D (one of them)");
        }
        RuleDefinition rule = rule();
        List<DryRunResult> results = messageFile != null ? List.of(rules.test(rule, Rules.jsonFile(messageFile)))
                : rules.testStored(rule, deviceId, count);
        if (results.isEmpty()) {
            println("No stored messages of device " + deviceId);
        }
        results.forEach(RuleTestCommand::print);
        return null;
    }

    RuleDefinition rule() {
        int given = (id != null ? 1 : 0) + (file != null ? 1 : 0) + (statementFile != null ? 1 : 0);
        if (given != 1) {
            throw ThingportException.invalidArgument("give the rule to try: a rule <id>, --file rule.json or --statement FILE"
                    + (given > 1 ? " (only one of them)" : ""));
        }
        if (id != null) {
            return rules.get(id).orElseThrow(() -> ThingportException.notFound("rule", id)).definition();
        }
        if (file != null) {
            return Rules.fromFile(file, ruleId -> true);
        }
        return new RuleDefinition(STATEMENT_RULE_ID, "", Rules.statement(statementFile), List.of(new ActionSpec("log", Map.of())),
                List.of(), true);
    }

    private static void print(DryRunResult r) {
        if (!r.matched()) {
            println(r.topic() + ": not matched (not one of the statement's sources)");
        } else if (r.error() != null) {
            println(r.topic() + ": matched, error: " + r.error());
        } else if (r.row() == null) {
            println(r.topic() + ": matched, filtered out");
        } else {
            println(r.topic() + ": matched, row " + Values.json(r.row()));
        }
        if (r.actionInputs() != null) {
            r.actionInputs().forEach(input -> println("  action input: " + input));
        }
    }
}
