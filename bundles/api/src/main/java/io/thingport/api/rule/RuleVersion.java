package io.thingport.api.rule;

/** One entry of a rule's history: the definition as it was after a change ({@code created}, {@code updated}, ...). */
public record RuleVersion(String ruleId, int version, long changedAt, String change, RuleDefinition definition) {
}
