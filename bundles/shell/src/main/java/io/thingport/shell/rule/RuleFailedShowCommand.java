package io.thingport.shell.rule;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.FailedMessage;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "rule-failed-show", description = "Shows a failed message: rule, action, device, attempts, the whole"
        + " error and the row the action received")
@Service
public class RuleFailedShowCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Argument(index = 0, name = "id", description = "Failed message id (see iot:rule-failed-list)", required = true)
    long id;

    @Override
    protected Object run() {
        FailedMessage f = rules.failedMessage(id).orElseThrow(() -> ThingportException.notFound("failed message", String.valueOf(id)));
        println("Id:        " + f.id());
        println("Rule:      " + f.ruleId());
        println("Action:    " + f.action());
        println("Device:    " + f.deviceId());
        println("Attempts:  " + f.attempts());
        println("Failed at: " + Rules.time(f.failedAt()));
        println("Error:     " + f.error());
        println("Payload:");
        printText(Rules.pretty(f.payload()));
        return null;
    }
}
