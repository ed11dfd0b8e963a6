package io.thingport.network.mqtt.client;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns failures into the one-line reasons that the component logs and reports. */
final class Failures {
    private Failures() {
    }

    /** The failure inside the wrappers that completion stages and futures add. */
    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The message of {@code error} followed by those of its causes that it does not already contain. */
    static String describe(Throwable error) {
        if (error == null) {
            return "unknown reason";
        }
        StringBuilder text = new StringBuilder(error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
        Throwable cause = error.getCause();
        while (cause != null && cause != error) {
            String message = cause.getMessage();
            if (message == null || !text.toString().contains(message)) {
                text.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(message).append(')');
            }
            error = cause;
            cause = cause.getCause();
        }
        return text.toString();
    }
}
