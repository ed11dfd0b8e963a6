package io.thingport.api.model;

import java.util.Objects;

/**
 * One broken rule: {@code field} names what was wrong (e.g. {@code property temp}, {@code function reboot input delay})
 * and {@code rule} says which rule, with the offending value (e.g. {@code 900 is above the maximum 85}).
 */
public record Violation(ErrorKind kind, String field, String rule) {
    /** Whether the identifier was unknown or the value was wrong. */
    public enum ErrorKind { UNKNOWN_IDENTIFIER, INVALID_VALUE }

    public Violation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(rule, "rule");
    }

    @Override
    public String toString() {
        return field + ": " + rule;
    }
}
