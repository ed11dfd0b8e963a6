package io.thingport.api;

import java.util.Objects;

/**
 * The one exception type of the platform: a code saying what kind of failure it is and a message meant for the
 * person or device that caused it (it names the field and the rule; it never contains a stack trace).
 */
public class ThingportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ThingportException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ThingportException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public static ThingportException notFound(String what, String id) {
        return new ThingportException(ErrorCode.NOT_FOUND, what + " " + id + " does not exist");
    }

    public static ThingportException invalidArgument(String message) {
        return new ThingportException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
