package io.thingport.rest.internal.resources;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An uploaded jar written where the protocol package service can read it as a file: in a new directory of its own under
 * {@code parent} that only the platform's user may enter, deleted with the directory when closed. The service keeps the
 * package's bytes in its own store once it is installed; the file is needed only while it reads it.
 */
final class JarStaging implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JarStaging.class);

    private final Path directory;
    private final Path file;

    private JarStaging(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    /** Writes {@code bytes} as {@code fileName} in a new private directory under {@code parent}. */
    static JarStaging write(String parentDirectory, String fileName, byte[] bytes) throws IOException {
        Path parent = Path.of(parentDirectory);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path directory = posix
                ? Files.createTempDirectory(parent, "thingport-upload-", attribute("rwx------"))
                : Files.createTempDirectory(parent, "thingport-upload-");
        Path file = directory.resolve(fileName);
        try {
            if (posix) {
                Files.createFile(file, attribute("rw-------"));
            }
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            return new JarStaging(directory, file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /**
     * Deletes the file and its directory. A failure is logged, not thrown: the package was installed or refused by then,
     * and that is the request's answer.
     */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            LOG.warn("Cannot delete the staged protocol package upload {}: {}", file, e.toString());
        }
    }

    private static FileAttribute<?> attribute(String permissions) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
    }
}
