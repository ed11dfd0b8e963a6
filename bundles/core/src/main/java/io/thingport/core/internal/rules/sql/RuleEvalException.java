package io.thingport.core.internal.rules.sql;

/** A statement that failed on one message: overflow, division by zero, an operator applied to the wrong types, ... */
public final class RuleEvalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RuleEvalException(String message) {
        super(message);
    }
}
