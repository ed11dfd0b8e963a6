package io.thingport.api.rule;

import java.util.List;

/**
 * Counters of one rule since it started (they restart with the rule), and of each of its actions.
 *
 * @param matched    messages from its sources
 * @param passed     rows selected (WHERE true)
 * @param filtered   messages the WHERE clause left out (no result)
 * @param failed     messages whose evaluation failed (e.g. a division by zero)
 * @param rateNow    matched messages per second over the last second
 * @param rateMax    the highest per-second rate seen
 * @param rate5m     the mean rate over the last five minutes
 */
public record RuleMetrics(String ruleId, long matched, long passed, long filtered, long failed, double rateNow, double rateMax,
                          double rate5m, List<ActionMetrics> actions) {

    /**
     * @param action    position and type, e.g. {@code actions[0] kafka}
     * @param success   rows delivered
     * @param failed    rows given up on after the retries (to the failed-message store)
     * @param discarded rows refused because the action's buffer was full (also to the failed-message store)
     * @param retries   attempts that failed and were tried again
     * @param inFlight  rows buffered or being delivered now
     */
    public record ActionMetrics(String action, long success, long failed, long discarded, long retries, long inFlight,
                                long p50Micros, long p99Micros, long maxMicros) {
    }
}
