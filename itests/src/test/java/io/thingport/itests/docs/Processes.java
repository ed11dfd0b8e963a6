package io.thingport.itests.docs;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the processes of the documentation run, all in one network (see {@link NetworkNamespace}): every command is
 * prefixed with what enters it. Output goes to a file, so a chatty process never blocks on a full pipe.
 */
final class Processes {
    /** What a finished command left. */
    record Outcome(int exitCode, String output, boolean timedOut) {
    }

    private final List<String> prefix;
    private final Map<String, String> environment;
    private final Path scratch;
    private int count;

    Processes(List<String> prefix, Map<String, String> environment, Path scratch) {
        this.prefix = List.copyOf(prefix);
        this.environment = Map.copyOf(environment);
        this.scratch = scratch;
    }

    /** Runs {@code command} in {@code dir} with {@code input} on its standard input; killed (with its children) after {@code timeout}. */
    Outcome run(Path dir, String input, Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = scratch.resolve("out-" + (++count) + ".txt");
        Process process = start(dir, out, command);
        try (OutputStream in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the command does not read its input
        }
        boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            kill(process);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        return new Outcome(done ? process.exitValue() : -1, output, !done);
    }

    /** Starts {@code command} in {@code dir}, its output (and errors) in {@code output}, with no input (the background blocks). */
    Process startDetached(Path dir, Path output, String... command) throws IOException {
        return builder(dir, output, command).redirectInput(new File("/dev/null")).start();
    }

    private Process start(Path dir, Path output, String... command) throws IOException {
        return builder(dir, output, command).start();
    }

    private ProcessBuilder builder(Path dir, Path output, String... command) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return builder;
    }

    /** Kills a process and everything it started that is still its descendant. */
    static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
