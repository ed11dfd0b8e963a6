package io.thingport.api.rule;

/**
 * A stored rule: its definition, its version (1 when created, one more with each change), when it last changed, and
 * what runs: {@code running}, {@code disabled}, or {@code failed: <why>} (e.g. a data source it needs cannot be reached
 * at start).
 */
public record RuleInfo(RuleDefinition definition, int version, long updatedAt, String state) {
}
