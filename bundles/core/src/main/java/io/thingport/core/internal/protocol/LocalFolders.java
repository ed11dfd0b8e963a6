package io.thingport.core.internal.protocol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the folders of local packages (a build's {@code target/classes}) and asks for a reload once a change has
 * settled: a folder is polled every second, and a fingerprint that differs from the one of the running code must be
 * seen on two polls in a row (the build finished) before the package is reloaded.
 */
final class LocalFolders {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFolders.class);
    static final long POLL_MS = 1_000;

    /** Reloads a package from its folder. */
    interface Reloader {
        /**
         * Reloads the package (a refused reload is logged, not thrown). Called on the polling thread.
         *
         * @param fingerprint the folder's fingerprint now: {@link #rememberFingerprint} it when the reload is attempted,
         *                    so that a refused one is not retried until the folder changes again
         */
        void reload(String id, Path folder, String fingerprint);
    }

    private final Supplier<Map<String, String>> folders;
    private final Reloader reloader;
    /** Local package id → the fingerprint of its folder when its running code was read. */
    private final Map<String, String> known = new ConcurrentHashMap<>();
    /** Local package id → a changed fingerprint seen once (the polling thread only): reloaded when seen twice. */
    private final Map<String, String> pending = new HashMap<>();

    /**
     * @param folders the local packages now: id → folder
     */
    LocalFolders(Supplier<Map<String, String>> folders, Reloader reloader) {
        this.folders = folders;
        this.reloader = reloader;
    }

    /** Notes the folder as it is now: the running code of the package was read from it. */
    void remember(String id, String folder) {
        known.put(id, PackageJars.fingerprint(Path.of(folder)));
    }

    /** Notes a fingerprint of the folder: a reload of it was attempted (accepted or refused). */
    void rememberFingerprint(String id, String fingerprint) {
        known.put(id, fingerprint);
    }

    void forget(String id) {
        known.remove(id);
    }

    /** One poll: reloads the packages whose folder changed and then stayed the same since the last poll. */
    void poll() {
        try {
            for (Map.Entry<String, String> local : folders.get().entrySet()) {
                String id = local.getKey();
                Path folder = Path.of(local.getValue());
                if (!Files.isDirectory(folder)) {
                    continue;
                }
                String fp = PackageJars.fingerprint(folder);
                if (fp.equals(known.get(id))) {
                    continue;
                }
                String seen = pending.put(id, fp);
                if (!fp.equals(seen)) {
                    continue; // still changing: wait until two polls agree
                }
                pending.remove(id);
                reloader.reload(id, folder, fp);
            }
        } catch (RuntimeException e) {
            LOG.warn("Watching local protocol folders failed: {}", e.toString());
        }
    }
}
