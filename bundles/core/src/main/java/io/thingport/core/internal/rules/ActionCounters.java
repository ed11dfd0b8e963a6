package io.thingport.core.internal.rules;

import io.thingport.api.rule.RuleMetrics;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** Counters of one running action. */
final class ActionCounters {
    final String label;
    final LongAdder success = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder discarded = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LatencyHistogram latency = new LatencyHistogram();
    private final IntSupplier inFlight;

    ActionCounters(String label, IntSupplier inFlight) {
        this.label = label;
        this.inFlight = inFlight;
    }

    RuleMetrics.ActionMetrics snapshot() {
        return new RuleMetrics.ActionMetrics(label, success.sum(), failed.sum(), discarded.sum(), retries.sum(), inFlight.getAsInt(),
                latency.percentile(50), latency.percentile(99), latency.max());
    }
}
