package io.thingport.core.internal.rules;

/** An action's peer refused a row (an HTTP status, a device's negative reply): the message says what it answered. */
public final class RuleActionException extends RuntimeException {
    public RuleActionException(String message) {
        super(message, null, false, false);
    }
}
