package io.thingport.shell.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.device.ImportProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.Process;
import org.apache.karaf.shell.api.console.Terminal;
import org.junit.jupiter.api.Test;

/** The progress line of a long command, on a terminal and elsewhere. */
class ProgressLineTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Reports 0, every 1,000 and the end of both phases of an import of {@code total} rows, then finishes. */
    private String run(ProgressLine line, int total) {
        for (String phase : new String[] {ImportProgress.CHECKED, ImportProgress.STORED}) {
            for (int done = 0; done < total; done += 1000) {
                line.progress(phase, done, total);
            }
            line.progress(phase, total, total);
        }
        line.finish();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalEachPhaseIsOneLineThatOverwritesItself() {
        // Verifies the terminal form: every report returns to the line's start (\r) and rewrites it, padded over a longer
        // text; a new phase starts a new line, and finishing ends the last one.
        // GIVEN a terminal's progress line
        ProgressLine line = new ProgressLine(out, true);

        // WHEN an import of 2,500 rows reports, then one with a shorter text after a longer one
        String printed = run(line, 2500);

        // THEN each phase is one line of \r-separated states
        assertThat(printed).isEqualTo("\rchecked 0/2500\rchecked 1000/2500\rchecked 2000/2500\rchecked 2500/2500" + System.lineSeparator()
                + "\rstored 0/2500\rstored 1000/2500\rstored 2000/2500\rstored 2500/2500" + System.lineSeparator());
        bytes.reset();
        line.progress(ImportProgress.CHECKED, 10_000, 10_000);
        line.progress(ImportProgress.CHECKED, 5, 9);
        line.finish();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\rchecked 10000/10000\rchecked 5/9        "
                + System.lineSeparator());
    }

    @Test
    void elsewhereAPlainLineEachTenPercent() {
        // Verifies the form for a pipe or a file: no \r, one line each time a phase passes another 10% (not at 0), so
        // a large import prints ten lines a phase and a small one a line at its end.
        // GIVEN a progress line that is not a terminal's
        ProgressLine line = new ProgressLine(out, false);

        // WHEN an import of 100,000 rows reports
        String printed = run(line, 100_000);

        // THEN ten plain lines a phase; and a 500-row import prints only the ends
        assertThat(printed).doesNotContain("\r");
        assertThat(printed.lines()).hasSize(20).startsWith("checked 10000/100000", "checked 20000/100000")
                .contains("checked 100000/100000", "stored 10000/100000").endsWith("stored 90000/100000", "stored 100000/100000");
        bytes.reset();
        assertThat(run(new ProgressLine(out, false), 500).lines()).containsExactly("checked 500/500", "stored 500/500");
    }

    private static Process process(boolean errIsTty) {
        return (Process) Proxy.newProxyInstance(Process.class.getClassLoader(), new Class<?>[] {Process.class},
                (proxy, method, args) -> method.getName().equals("isTty") ? (Integer) args[0] == 2 && errIsTty : null);
    }

    private static Terminal terminal(String type) {
        return (Terminal) Proxy.newProxyInstance(Terminal.class.getClassLoader(), new Class<?>[] {Terminal.class},
                (proxy, method, args) -> method.getName().equals("getType") ? type : null);
    }

    @Test
    void onlyAnErrorStreamLeftToARealTerminalIsOne() {
        // Verifies the terminal check: the command's error stream not redirected, on a session with a terminal that is
        // not a dumb one; anything missing means plain lines.
        // GIVEN / WHEN / THEN
        assertThat(ProgressLine.isTerminal(process(true), terminal("xterm-256color"))).isTrue();
        assertThat(ProgressLine.isTerminal(process(false), terminal("xterm-256color"))).isFalse();
        assertThat(ProgressLine.isTerminal(process(true), terminal("dumb"))).isFalse();
        assertThat(ProgressLine.isTerminal(process(true), null)).isFalse();
        assertThat(ProgressLine.isTerminal(null, terminal("xterm-256color"))).isFalse();
    }

    @Test
    void finishingWithoutAnyReportPrintsNothing() {
        // Verifies that an import refused before its first report (an unknown product, a file that does not parse)
        // leaves no empty line before the error.
        // GIVEN / WHEN a terminal's progress line finished at once
        new ProgressLine(out, true).finish();

        // THEN nothing was printed
        assertThat(bytes.size()).isZero();
    }
}
