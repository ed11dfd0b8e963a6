package io.thingport.core.internal.access;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.io.File;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that seals application secrets ({@link SecretSeal}): {@code etc/thingport-access.key}, 32 random bytes, made
 * on first use and readable by its owner only (where the file system has POSIX permissions). It lives outside the
 * database on purpose: a copy of the database alone opens no secret. Every node that shares the database needs the
 * same file.
 */
final class AccessKeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(AccessKeyFile.class);
    static final String FILE_NAME = "thingport-access.key";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AccessKeyFile() {
    }

    /** The key file in Karaf's {@code etc/} folder (the system property {@code karaf.etc}), or {@code null} outside Karaf. */
    static Path inKarafEtc() {
        String etc = System.getProperty("karaf.etc");
        return etc == null ? null : Path.of(etc, FILE_NAME);
    }

    /**
     * The key in {@code file}, made there first when the file does not exist.
     *
     * @throws ThingportException {@code INTERNAL} when the file cannot be read or written, or does not hold a key
     */
    static byte[] loadOrCreate(Path file, SecureRandom random) {
        try {
            if (!Files.exists(file)) {
                create(file, random);
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length != SecretSeal.KEY_BYTES) {
                throw new ThingportException(ErrorCode.INTERNAL, "the access key file " + file + " holds " + key.length
                        + " bytes, not " + SecretSeal.KEY_BYTES + ": restore it from a backup or from another node");
            }
            return key;
        } catch (IOException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot read or create the access key file " + file + ": " + e, e);
        }
    }

    /**
     * Writes a new key beside the file and moves it into place, so that no reader ever sees half a key. (One platform
     * per {@code etc/} folder, and the caller holds its lock: nobody else makes the file meanwhile.)
     */
    private static void create(Path file, SecureRandom random) throws IOException {
        byte[] key = new byte[SecretSeal.KEY_BYTES];
        random.nextBytes(key);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        FileAttribute<?>[] attributes = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, FILE_NAME, ".new", attributes);
        try {
            Files.write(temp, key);
            if (!posix) {
                ownerOnly(temp);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            }
            LOG.info("Created the access key file {}: back it up, and copy it to every node that shares the database", file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Owner-only access where the file system has no POSIX permissions (Windows): best effort. */
    private static void ownerOnly(Path file) {
        File f = file.toFile();
        boolean done = f.setReadable(false, false) & f.setReadable(true, true) & f.setWritable(false, false) & f.setWritable(true, true);
        if (!done) {
            LOG.warn("Cannot restrict {} to its owner: restrict it by hand", file);
        }
    }
}
