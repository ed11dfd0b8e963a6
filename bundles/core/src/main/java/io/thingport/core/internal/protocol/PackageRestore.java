package io.thingport.core.internal.protocol;

import static io.thingport.api.protocol.ProtocolPackageService.TYPE_LOCAL;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogService;
import io.thingport.core.internal.access.SystemEvents;
import io.thingport.core.internal.protocol.PackageBundles.Revision;
import io.thingport.core.internal.protocol.PackageStore.Row;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The package service's start and its background thread: reads the stored packages and claims their ids at once,
 * brings them back once the framework has started (their bundles from the framework cache, or installed again from the
 * database), uninstalls the package bundles that none of them uses, and only then follows Karaf's {@code deploy/}
 * ({@link DeployedProtocols}). The same thread polls the folders of local packages ({@link LocalFolders}) and runs
 * the rollbacks that gateways ask for ({@link #background}).
 *
 * <p>The restore is a management operation like the others: it holds the package service's {@code ops} lock while it
 * runs, and the others wait for it ({@link #awaitRestored}), even when it fails. {@link #close} lets a restore or a
 * reload under way finish.
 */
final class PackageRestore {
    private static final Logger LOG = LoggerFactory.getLogger(PackageRestore.class);

    private final PackageStore store;
    private final ProtocolRegistryImpl registry;
    private final PackageBundles bundles;
    private final KnownPackages known;
    private final LocalFolders folders;
    /** The package service's one-management-operation-at-a-time lock. */
    private final ReentrantLock ops;
    private final SystemLogService systemLog;
    /** One thread: the restore at start, then registering the deploy/ installer, then polling the local folders. */
    private final ScheduledThreadPoolExecutor executor;
    private final CountDownLatch restored = new CountDownLatch(1);
    private final AtomicReference<ServiceRegistration<?>> deployInstaller = new AtomicReference<>();
    private volatile boolean closed;

    PackageRestore(PackageStore store, ProtocolRegistryImpl registry, PackageBundles bundles, KnownPackages known, LocalFolders folders,
            ReentrantLock ops, SystemLogService systemLog) {
        this.store = store;
        this.systemLog = systemLog;
        this.registry = registry;
        this.bundles = bundles;
        this.known = known;
        this.folders = folders;
        this.ops = ops;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "thingport-protocol-packages");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Reads the stored packages and claims their ids now; brings them back on the background thread once the framework has started. */
    void start() {
        start(null);
    }

    /**
     * {@link #start()}, then, on the background thread once the restore is over, offers the protocol jars of Karaf's
     * deploy/ folder to {@code deployed}; meanwhile the local folders are polled.
     */
    void start(BundleContext context, DeployedProtocols deployed) {
        start(() -> {
            followDeployFolder(context, deployed);
            // Only now: a reload is an update, which must not run before the stored packages are back.
            executor.scheduleWithFixedDelay(folders::poll, LocalFolders.POLL_MS, LocalFolders.POLL_MS, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * {@link #start()}, then {@code afterRestore} on the background thread once the restore is over.
     *
     * @param afterRestore what runs on the background thread right after the restore, or {@code null}
     */
    void start(Runnable afterRestore) {
        List<Row> rows = store.all();
        known.starting(rows);
        registry.claim(rows.stream().map(Row::id).collect(Collectors.toSet()));
        bundles.whenStarted(() -> {
            if (closed) {
                return; // deactivated before the framework had started
            }
            try {
                executor.execute(this::restoreAll);
                if (afterRestore != null) {
                    executor.execute(afterRestore); // the same thread, so after the restore
                }
            } catch (RejectedExecutionException e) {
                LOG.debug("The protocol packages were closed while the framework started: {}", e.toString());
            }
        });
    }

    /** Waits until the stored packages are back (or failed to come back). */
    void awaitRestored() {
        try {
            restored.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThingportException(ErrorCode.INTERNAL, "interrupted while the stored protocol packages were being started");
        }
    }

    /** Runs {@code task} on the background thread, after what runs there now; nothing once {@link #close} was called. */
    void background(Runnable task) {
        if (closed) {
            return;
        }
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("The protocol packages were closed meanwhile: {}", e.toString());
        }
    }

    /** Whether {@link #close} was called: the background thread starts no new work. */
    boolean closed() {
        return closed;
    }

    /** Withdraws the deploy/ installer and stops the background thread, letting a restore or reload under way finish. */
    void close() {
        closed = true;
        unregisterQuietly(deployInstaller.getAndSet(null));
        executor.shutdown(); // a restore or reload under way finishes: no half-done swap
        try {
            if (!executor.awaitTermination(OsgiPackageBundles.SERVICE_WAIT_MS + 5_000, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    /** Brings every stored package back, then uninstalls the package bundles that none of them uses. */
    private void restoreAll() {
        ops.lock();
        try {
            List<Row> rows = known.rows();
            for (Row row : rows) {
                if (closed) {
                    return;
                }
                restore(row);
            }
            bundles.removeStrays(rows.stream().map(Row::location).collect(Collectors.toSet()));
        } catch (RuntimeException e) {
            LOG.error("Starting the stored protocol packages failed: {}", e.toString());
            systemLog.record(SystemEvent.ERROR, SystemEvents.PROTOCOL, "-", "starting the stored protocol packages failed: " + e);
        } finally {
            ops.unlock();
            restored.countDown();
        }
    }

    /** Brings a stored package back: its bundle from the framework cache, or installed again from the database. */
    private void restore(Row row) {
        String id = row.id();
        try {
            Revision r = bundles.restore(row.location(), () -> store.content(id));
            try {
                String actual = ProtocolCheck.check(r.protocol());
                if (!actual.equals(id)) {
                    throw ThingportException.invalidArgument("the stored package now provides protocol " + actual);
                }
            } catch (RuntimeException | LinkageError e) {
                bundles.discard(r.bundleId()); // installed again from the database at the next start, or replaced by an update
                throw e;
            }
            known.serve(row, r.bundleId());
            if (row.type().equals(TYPE_LOCAL)) {
                folders.remember(id, row.source());
            }
            LOG.info("Protocol package {} (version {}, revision {}) restored", id, row.version(), row.revision());
        } catch (RuntimeException | LinkageError e) {
            String why = e instanceof ThingportException ? e.getMessage() : e.toString();
            known.problem(id, "cannot start the stored package: " + why + " (iot:protocol-update " + id + " <jar> installs a working one)");
            LOG.error("Protocol package {} cannot start: {}", id, why);
            systemLog.record(SystemEvent.ERROR, SystemEvents.PROTOCOL, id, "protocol package failed to start: " + why);
        }
    }

    /** Hands the protocol jars of Karaf's deploy/ folder to {@link DeployedProtocols} (after the restore). */
    private void followDeployFolder(BundleContext context, DeployedProtocols deployed) {
        if (closed) {
            return;
        }
        deployInstaller.set(deployed.register(context));
        if (closed) {
            unregisterQuietly(deployInstaller.getAndSet(null));
            return;
        }
        deployed.adoptEarlyBundles(context, executor);
    }

    private static void unregisterQuietly(ServiceRegistration<?> r) {
        if (r == null) {
            return;
        }
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }
}
