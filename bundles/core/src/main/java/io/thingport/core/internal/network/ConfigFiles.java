package io.thingport.core.internal.network;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code etc/<factoryPid>-<name>.cfg} files behind network components and gateways. The shell's changes are
 * written to these files (Karaf's file installer turns them into configurations), so that what an operator sees in
 * {@code etc/} is always what runs (changes to existing configurations go through ConfigurationAdmin, and the file
 * installer writes them back into these files).
 */
final class ConfigFiles {
    private ConfigFiles() {
    }

    /** The folder of configuration files ({@code karaf.etc}), if the platform runs in Karaf. */
    static Optional<Path> etc() {
        String etc = System.getProperty("karaf.etc");
        return etc == null ? Optional.empty() : Optional.of(Paths.get(etc));
    }

    static Path file(Path etc, String factoryPid, String name) {
        return etc.resolve(factoryPid + "-" + name + ".cfg");
    }

    /** The file a configuration was read from ({@code felix.fileinstall.filename}), if any. */
    static Optional<Path> fileOf(Object filename) {
        if (filename == null) {
            return Optional.empty();
        }
        String f = filename.toString();
        try {
            return Optional.of(f.startsWith("file:") ? Paths.get(URI.create(f)) : Paths.get(f));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Writes a new file with {@code values}, failing if it exists. */
    static void create(Path file, Map<String, String> values, String header) {
        if (Files.exists(file)) {
            throw new ThingportException(ErrorCode.CONFLICT, file.getFileName() + " already exists in " + file.getParent());
        }
        StringBuilder text = new StringBuilder("# " + header + " (" + Instant.now() + ")\n");
        values.forEach((k, v) -> text.append(k).append(" = ").append(escape(v)).append('\n'));
        write(file, text.toString());
    }

    static void write(Path file, String text) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot write " + file + ": " + e.getMessage());
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot delete " + file + ": " + e.getMessage());
        }
    }

    /** Properties-file escaping: backslashes are doubled, so a value such as {@code \n} is read back as written. */
    private static String escape(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw ThingportException.invalidArgument("a configuration value may not contain a line break");
        }
        return value.replace("\\", "\\\\");
    }
}
