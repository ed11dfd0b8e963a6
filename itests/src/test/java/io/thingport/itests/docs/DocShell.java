package io.thingport.itests.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a document's shell blocks with bash, one process per block, each starting where the previous one left off: its
 * functions, the variables it set and its current folder are saved after it and restored before the next (as if the
 * reader typed them into one terminal). A command of the block that fails is reported with its exit status, even
 * when a later one succeeds. Background blocks run on with their output in a file until {@link #close()}.
 */
final class DocShell implements AutoCloseable {
    private static final String WRAPPER = """
            set -o pipefail -E
            __base=" $(compgen -v | tr '\\n' ' ') "
            [ -f "$1" ] && source "$1"
            __failed=0
            trap '__failed=$?; echo "[docs] command failed (exit $__failed): $BASH_COMMAND" >&2' ERR
            source "$2" < /dev/null
            trap - ERR
            if [ "$3" = save ]; then
              { declare -f
                for __v in $(compgen -v); do
                  case "$__base" in *" $__v "*) ;; *) [[ $__v == __* ]] || declare -p "$__v" ;; esac
                done
                printf 'cd -- %q\\n' "$PWD"
              } > "$1.new" && mv "$1.new" "$1"
            fi
            exit $__failed
            """;

    private final Processes processes;
    private final Path checkout;
    private final Path scratch;
    private final Path state;
    private final Map<String, Process> background = new LinkedHashMap<>();
    private int blocks;

    DocShell(Processes processes, Path checkout, Path scratch) throws IOException {
        this.processes = processes;
        this.checkout = checkout;
        this.scratch = Files.createDirectories(scratch);
        this.state = scratch.resolve("state.sh");
        Files.writeString(scratch.resolve("wrapper.sh"), WRAPPER, StandardCharsets.UTF_8);
        Files.writeString(state, "cd -- " + quote(checkout.toString()) + "\n", StandardCharsets.UTF_8);
    }

    /** Runs a block to its end (or its timeout). */
    Processes.Outcome run(DocStep step) throws IOException, InterruptedException {
        Path block = write(step);
        return processes.run(checkout, "", step.timeout(), "bash", scratch.resolve("wrapper.sh").toString(), state.toString(),
                block.toString(), "save");
    }

    /** Starts a block in the background, under its name; its state is not kept. */
    void start(DocStep step) throws IOException {
        if (background.containsKey(step.background())) {
            throw new IllegalStateException(step.where() + ": a background block named " + step.background() + " runs already");
        }
        Path block = write(step);
        Process process = processes.startDetached(checkout, outputFile(step.background()), "bash",
                scratch.resolve("wrapper.sh").toString(), state.toString(), block.toString(), "nosave");
        background.put(step.background(), process);
    }

    /** What the background block {@code name} printed so far, or {@code null} when there is none by that name. */
    String output(String name) throws IOException {
        if (!background.containsKey(name)) {
            return null;
        }
        return Files.readString(outputFile(name), StandardCharsets.UTF_8);
    }

    private Path outputFile(String name) {
        return scratch.resolve("background-" + name + ".txt");
    }

    private Path write(DocStep step) throws IOException {
        String text = step.resolved(checkout);
        Path block = scratch.resolve("block-" + (++blocks) + ".sh");
        Files.writeString(block, "# " + step.where() + "\n" + text, StandardCharsets.UTF_8);
        return block;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : background.values()) {
            Processes.kill(p);
        }
        background.clear();
    }
}
