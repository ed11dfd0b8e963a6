package io.thingport.shell.rule;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleMetrics;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.RuleIdCompleter;
import io.thingport.shell.support.Table;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "rule-metrics", description = "A rule's counters and rates and its actions' deliveries and latencies"
        + " (since the rule started), or one line per rule",
        detailedDescription = "With <id>: matched (messages from its sources), passed (rows selected), filtered (left out by WHERE),"
                + " failed (evaluation errors), the rates in messages per second, then per action: rows delivered, given up on,"
                + " discarded (buffer full), retries, in flight, and the p50 / p99 / max delivery latency in ms. Without <id>:"
                + " the counters and rates of every rule.")
@Service
public class RuleMetricsCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Argument(index = 0, name = "id", description = "Rule id (omit for all rules)")
    @Completion(RuleIdCompleter.class)
    String id;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        if (id == null) {
            Table table = new Table("Rule", "State", "Matched", "Passed", "Filtered", "Failed", "Rate/s", "Max/s", "5 min/s");
            for (RuleInfo r : rules.list()) {
                RuleMetrics m = metricsOrNull(r.definition().id());
                if (m == null) {
                    table.row(r.definition().id(), r.state(), "-", "-", "-", "-", "-", "-", "-");
                } else {
                    table.row(r.definition().id(), r.state(), m.matched(), m.passed(), m.filtered(), m.failed(), Rules.rate(m.rateNow()),
                            Rules.rate(m.rateMax()), Rules.rate(m.rate5m()));
                }
            }
            table.print(System.out, noFormat);
            return null;
        }
        RuleMetrics m = rules.metrics(id);
        println("Rule " + m.ruleId() + ": matched " + m.matched() + ", passed " + m.passed() + ", filtered " + m.filtered()
                + ", failed " + m.failed());
        println("Rate: " + Rules.rate(m.rateNow()) + "/s now, " + Rules.rate(m.rateMax()) + "/s max, " + Rules.rate(m.rate5m())
                + "/s mean over 5 min");
        Table table = new Table("Action", "Success", "Failed", "Discarded", "Retries", "In flight", "p50 ms", "p99 ms", "Max ms");
        for (RuleMetrics.ActionMetrics a : m.actions()) {
            table.row(a.action(), a.success(), a.failed(), a.discarded(), a.retries(), a.inFlight(), Rules.ms(a.p50Micros()),
                    Rules.ms(a.p99Micros()), Rules.ms(a.maxMicros()));
        }
        table.print(System.out, noFormat);
        return null;
    }

    /** A rule's metrics, or {@code null} when the engine has none for it (deleted meanwhile). */
    private RuleMetrics metricsOrNull(String ruleId) {
        try {
            return rules.metrics(ruleId);
        } catch (ThingportException e) {
            return null;
        }
    }
}
