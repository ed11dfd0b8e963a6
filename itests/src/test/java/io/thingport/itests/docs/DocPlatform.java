package io.thingport.itests.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A fresh distribution for the documentation run: unpacked from the build's archive, started with {@code bin/start}
 * on its defaults (the documented ports), driven line by line through {@code bin/client -b} as the README shows, and
 * stopped with {@code bin/stop}.
 */
final class DocPlatform implements AutoCloseable {
    private static final Duration BOOT = Duration.ofMinutes(3);
    private final Processes processes;
    private final Path home;

    private DocPlatform(Processes processes, Path home) {
        this.processes = processes;
        this.home = home;
    }

    /** Unpacks {@code archive} into {@code folder} (emptied first) and starts it; returns once its MQTT server listens. */
    static DocPlatform start(Processes processes, Path archive, Path folder) throws IOException, InterruptedException {
        check(processes.run(folder.getParent(), "", Duration.ofMinutes(2), "rm", "-rf", folder.toString()), "rm -rf " + folder);
        Files.createDirectories(folder);
        check(processes.run(folder, "", Duration.ofMinutes(2), "tar", "xzf", archive.toString(), "--strip-components=1"),
                "tar xzf " + archive);
        DocPlatform platform = new DocPlatform(processes, folder.toAbsolutePath());
        check(processes.run(folder, "", Duration.ofMinutes(1), "bin/start"), "bin/start");
        Instant deadline = Instant.now().plus(BOOT);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            Processes.Outcome list = platform.command("iot:network-list --no-format", Duration.ofSeconds(30));
            last = list.output();
            if (list.exitCode() == 0 && last.contains("mqtt\tmqtt-server\trunning\t")) {
                return platform;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the distribution did not start within " + BOOT + ": " + last);
    }

    /** The distribution's folder. */
    Path home() {
        return home;
    }

    /** Runs one shell line as {@code echo '<line>' | bin/client -b} does (the client reads
     * the password the first start generated). */
    Processes.Outcome command(String line, Duration timeout) throws IOException, InterruptedException {
        Processes.Outcome outcome = processes.run(home, line + "\n", timeout, "bin/client", "-r", "10", "-b");
        // Karaf colours its error lines; the documents quote the text.
        return new Processes.Outcome(outcome.exitCode(), outcome.output().replaceAll("\u001B\\[[0-9;]*m", ""), outcome.timedOut());
    }

    private static void check(Processes.Outcome outcome, String what) {
        if (outcome.exitCode() != 0) {
            throw new AssertionError(what + " failed (exit " + outcome.exitCode() + "): " + outcome.output());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Path pidFile = home.resolve("karaf.pid");
        long pid = Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).trim()) : -1;
        processes.run(home, "", Duration.ofMinutes(1), "bin/stop");
        ProcessHandle karaf = ProcessHandle.of(pid).orElse(null);
        if (karaf != null) {
            try {
                karaf.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                karaf.destroyForcibly();
            }
        }
    }
}
