package io.thingport.shell.rule;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleMetrics;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.RuleIdCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "rule-info", description = "Shows a rule: statement, actions and fallbacks with their options (secrets"
        + " masked), version, state and its metrics")
@Service
public class RuleInfoCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Argument(index = 0, name = "id", description = "Rule id", required = true)
    @Completion(RuleIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        RuleInfo r = rules.get(id).orElseThrow(() -> ThingportException.notFound("rule", id));
        println("Id:          " + r.definition().id());
        println("Description: " + r.definition().description());
        println("State:       " + r.state());
        println("Enabled:     " + r.definition().enabled());
        println("Version:     " + r.version());
        println("Updated:     " + Rules.time(r.updatedAt()));
        Rules.describe(r.definition()).forEach(IotCommand::println);
        RuleMetrics m;
        try {
            m = rules.metrics(id);
        } catch (ThingportException e) {
            println("Metrics:     unavailable (" + e.getMessage() + ")");
            return null;
        }
        println("Metrics:     matched " + m.matched() + ", passed " + m.passed() + ", filtered " + m.filtered() + ", failed "
                + m.failed() + "; " + Rules.rate(m.rateNow()) + "/s now, " + Rules.rate(m.rateMax()) + "/s max, "
                + Rules.rate(m.rate5m()) + "/s over 5 min");
        for (RuleMetrics.ActionMetrics a : m.actions()) {
            println("  " + a.action() + ": success " + a.success() + ", failed " + a.failed() + ", discarded " + a.discarded()
                    + ", retries " + a.retries() + ", in flight " + a.inFlight() + ", latency p50 " + Rules.ms(a.p50Micros())
                    + " ms, p99 " + Rules.ms(a.p99Micros()) + " ms, max " + Rules.ms(a.maxMicros()) + " ms");
        }
        return null;
    }
}
