package io.thingport.testsupport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** What the throw-away servers of test-support share: their folders, the pid files in them, free ports, the user. */
final class TempServers {
    private TempServers() {
    }

    /** The process id written in a file, if it holds one. */
    static Optional<Long> pid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the JVM whose pid is in {@code ownerFile} is still running. */
    static boolean ownerAlive(Path ownerFile) {
        return pid(ownerFile).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Deletes a folder and everything in it; a failure is reported on stderr, naming {@code what}. */
    static void delete(Path dir, String what) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            System.err.println("Could not delete the " + what + " folder " + dir + ": " + e);
        }
    }

    /**
     * Stops the servers and deletes the folders ({@code tmp/<prefix>*}) of every JVM that is gone: it was killed, no
     * shutdown hook ran. A folder's owner JVM is in {@code ownerFile}, its server's process in {@code pidFile}; the process
     * is stopped only when its command line names the folder (a reused pid is left alone).
     */
    static void removeOrphans(Path tmp, String prefix, String ownerFile, String pidFile, Consumer<ProcessHandle> stop, String what) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, prefix + "*")) {
            for (Path d : dirs) {
                if (pid(d.resolve(ownerFile)).isEmpty() || ownerAlive(d.resolve(ownerFile))) {
                    continue;
                }
                pid(d.resolve(pidFile)).flatMap(ProcessHandle::of)
                        .filter(h -> h.info().commandLine().map(c -> c.contains(d.toString())).orElse(false))
                        .ifPresent(stop);
                delete(d, what);
            }
        } catch (IOException e) {
            System.err.println("Could not look for " + what + "s left behind in " + tmp + ": " + e);
        }
    }

    /** Whether this JVM runs as root (database servers refuse to, and run as their own user instead). */
    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
