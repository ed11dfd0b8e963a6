package io.thingport.api.simulation;

/** Percentiles of a latency distribution in milliseconds ({@code count} 0: none measured, all zero). */
public record LatencySummary(long count, double p50, double p90, double p99, double p999, double max) {
    public static final LatencySummary NONE = new LatencySummary(0, 0, 0, 0, 0, 0);
}
