package io.thingport.shell.support;

import io.thingport.api.device.ImportProgress;
import java.io.PrintStream;
import org.apache.felix.service.command.Process;
import org.apache.karaf.shell.api.console.Terminal;

/**
 * How far a long command has come, as {@code <phase> <done>/<total>} (e.g. {@code checked 20000/100000}): on a terminal,
 * one line per phase that overwrites itself ({@code \r}) at each report; elsewhere (a pipe, a file, a script over SSH)
 * a plain line each time a phase passes another 10%. Printed on the command's error stream, so that its output stays
 * what it was. {@link #finish} ends the last line; call it before anything else is printed.
 */
public final class ProgressLine implements ImportProgress {
    private final PrintStream out;
    private final boolean terminal;
    private String phase;
    private int shownLength;
    private long shownTenth;

    public ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Whether the command's error stream is the operator's terminal: not redirected within the command line, on a
     * session with a terminal that is not a dumb one (as a script's {@code ssh host 'iot:...'} gets).
     *
     * @param process  the command's process ({@link Process.Utils#current()}), {@code null} outside one
     * @param terminal the session's terminal, {@code null} without one
     */
    public static boolean isTerminal(Process process, Terminal terminal) {
        return process != null && process.isTty(2) && terminal != null && terminal.getType() != null
                && !"dumb".equalsIgnoreCase(terminal.getType());
    }

    @Override
    public void progress(String phase, int done, int total) {
        boolean newPhase = !phase.equals(this.phase);
        if (newPhase) {
            endLine();
            this.phase = phase;
            shownTenth = 0;
        }
        String text = phase + " " + done + "/" + total;
        if (terminal) {
            // back to the line's start, the padding wipes what a longer text left
            out.print("\r" + text + " ".repeat(Math.max(0, shownLength - text.length())));
            shownLength = text.length();
            out.flush();
            return;
        }
        long tenth = total <= 0 ? 10 : 10L * done / total;
        if (tenth > shownTenth) {
            shownTenth = tenth;
            out.println(text);
        }
    }

    /**
     * Shows a status line of its own making (a simulation's counters): on a terminal it overwrites the last one,
     * elsewhere it is a line of its own (the caller decides how often).
     */
    public void show(String text) {
        if (terminal) {
            out.print("\r" + text + " ".repeat(Math.max(0, shownLength - text.length())));
            shownLength = text.length();
            out.flush();
            return;
        }
        out.println(text);
    }

    /** Whether lines overwrite each other (a terminal). */
    public boolean terminal() {
        return terminal;
    }

    /** Ends the line a terminal shows. */
    public void finish() {
        endLine();
        phase = null;
    }

    private void endLine() {
        if (terminal && shownLength > 0) {
            out.println();
            out.flush();
        }
        shownLength = 0;
    }
}
