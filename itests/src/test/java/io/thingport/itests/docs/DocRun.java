package io.thingport.itests.docs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the steps of one document in order against a running platform and says, per step, what went wrong: a command
 * that failed (or succeeded where the document says it fails), a block that did not finish, an expected text missing
 * from its output. A failed step does not stop the document: later steps run, so one run shows every problem.
 */
final class DocRun {
    private static final int SHOWN = 3000;
    private final DocPlatform platform;
    private final DocShell shell;
    private final Path checkout;
    private final List<String> failures = new ArrayList<>();
    private int run;
    private int skipped;

    DocRun(DocPlatform platform, DocShell shell, Path checkout) {
        this.platform = platform;
        this.shell = shell;
        this.checkout = checkout;
    }

    /** Runs every step; returns the failures, one message each. */
    List<String> run(List<DocStep> steps) throws IOException, InterruptedException {
        for (DocStep step : steps) {
            switch (step.kind()) {
                case SKIP -> skipped++;
                case KARAF -> karaf(step);
                case SHELL -> shell(step);
                case OUTPUT -> output(step);
                default -> throw new IllegalStateException(step.kind().toString());
            }
        }
        return failures;
    }

    /** Steps run and steps skipped. */
    String summary() {
        return run + " run, " + skipped + " skipped";
    }

    private void karaf(DocStep step) throws IOException, InterruptedException {
        run++;
        StringBuilder all = new StringBuilder();
        for (String raw : step.resolved(checkout).split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Processes.Outcome outcome = platform.command(line, step.timeout());
            all.append("karaf@root()> ").append(line).append('\n').append(outcome.output());
            boolean failed = outcome.exitCode() != 0 || outcome.output().contains("Error executing command");
            if (outcome.timedOut()) {
                fail(step, "'" + line + "' did not finish within " + step.timeout().toSeconds() + " s", all);
                return;
            }
            if (failed != step.fails()) {
                fail(step, "'" + line + "' " + (failed ? "failed" : "succeeded, but the document says it fails"), all);
                return;
            }
        }
        expectations(step, all.toString());
    }

    private void shell(DocStep step) throws IOException, InterruptedException {
        run++;
        if (step.background() != null) {
            shell.start(step);
            Thread.sleep(1500);
            return;
        }
        Processes.Outcome outcome = shell.run(step);
        if (outcome.timedOut()) {
            fail(step, "did not finish within " + step.timeout().toSeconds() + " s", outcome.output());
        } else if ((outcome.exitCode() != 0) != step.fails()) {
            fail(step, outcome.exitCode() != 0 ? "failed (exit " + outcome.exitCode() + ")" : "succeeded, but the document says it fails",
                    outcome.output());
        } else {
            expectations(step, outcome.output());
        }
    }

    private void output(DocStep step) throws IOException, InterruptedException {
        run++;
        Instant deadline = Instant.now().plus(step.timeout());
        String text = shell.output(step.argument());
        if (text == null) {
            fail(step, "no background block named " + step.argument(), "");
            return;
        }
        while (!missing(step, text).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            text = shell.output(step.argument());
        }
        expectations(step, text);
    }

    private void expectations(DocStep step, CharSequence output) {
        List<String> missing = missing(step, output.toString());
        if (!missing.isEmpty()) {
            fail(step, String.join("; ", missing), output);
        }
    }

    private static List<String> missing(DocStep step, String output) {
        List<String> missing = new ArrayList<>();
        step.expect().stream().filter(e -> !output.contains(e)).forEach(e -> missing.add("expected '" + e + "'"));
        step.absent().stream().filter(output::contains).forEach(a -> missing.add("did not expect '" + a + "'"));
        return missing;
    }

    private void fail(DocStep step, String what, CharSequence output) {
        String out = output.toString();
        if (out.length() > SHOWN) {
            out = "..." + out.substring(out.length() - SHOWN);
        }
        failures.add(step.where() + " (" + step.kind().name().toLowerCase() + "): " + what + "\n--- block ---\n" + step.text()
                + "--- output ---\n" + out);
    }
}
