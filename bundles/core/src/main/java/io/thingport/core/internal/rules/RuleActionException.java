package io.thingport.core.internal.rules;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * An action's peer refused a row (an HTTP status, a device's negative reply, a database's error): the message says what
 * it answered. A {@linkplain #permanent() permanent} refusal would be the same on every attempt (an HTTP 4xx, a broken
 * constraint, a value that cannot go into a URL): the row is given up at once instead of holding up its device's
 * later rows through the retries.
 */
public final class RuleActionException extends RuntimeException {
    private final boolean permanent;

    public RuleActionException(String message) {
        this(message, false);
    }

    public RuleActionException(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }

    /** Whether a send's failure (possibly wrapped by a stage) is a permanent refusal. */
    static boolean isPermanent(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RuleActionException r && r.permanent();
    }
}
