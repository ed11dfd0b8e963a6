package io.thingport.shell.support;

import io.thingport.api.ThingportException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.ansi.SimpleAnsi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of the {@code iot:*} commands. A refusal by the platform ({@link ThingportException}: not found, invalid,
 * in use, a device that did not reply in time, ...) is an expected outcome: the user sees the message as before and
 * {@code karaf.log} gets one WARN line, where Karaf would log any other exception at ERROR with its stack trace.
 * Anything else still reaches Karaf as it is.
 *
 * <p>A command prints with {@link #println} and {@link #printText} (and {@link Table}), which escape control
 * characters ({@link Terminal}): much of what it shows comes from devices and peers, who must not drive the
 * operator's terminal. The same goes for the message of a refusal, which may quote such a value.
 */
public abstract class IotCommand implements Action {
    private static final Logger LOG = LoggerFactory.getLogger(IotCommand.class);

    @Override
    public final Object execute() throws Exception {
        try {
            return run();
        } catch (ThingportException e) {
            String message = Terminal.escapeText(e.getMessage()); // a list of problems keeps its lines
            LOG.warn("{}: {} ({})", name(), message, e.code().wireName());
            // Karaf logs a CommandException at DEBUG and prints its help text, here the usual wording.
            throw new CommandException(SimpleAnsi.COLOR_RED + "Error executing command: " + message + SimpleAnsi.COLOR_DEFAULT,
                    message, e);
        }
    }

    /** Prints one line of output, its control characters escaped ({@link Terminal#escape}). */
    protected static void println(Object line) {
        System.out.println(Terminal.escape(line));
    }

    /** Prints multi-line text (a document, JSON), its control characters escaped but its line breaks kept. */
    protected static void printText(String text) {
        System.out.println(Terminal.escapeText(text));
    }

    /** What the command does. */
    protected abstract Object run() throws Exception;

    private String name() {
        Command c = getClass().getAnnotation(Command.class);
        return c == null ? getClass().getSimpleName() : c.scope() + ":" + c.name();
    }
}
