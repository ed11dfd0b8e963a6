package io.thingport.core.internal.protocol;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.protocol.ProtocolPackageInfo;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.core.internal.protocol.PackageBundles.Revision;
import io.thingport.core.internal.protocol.PackageJars.Prepared;
import io.thingport.core.internal.protocol.PackageStore.Row;
import io.thingport.core.internal.protocol.ProtocolRegistryImpl.Tracked;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.usage.UsageCheck;
import io.thingport.core.internal.usage.UsageChecks;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol packages: the built-in protocol bundles (features) and the packages installed at run time, which it
 * installs as bundles, checks, keeps in the database and swaps without dropping a connection.
 *
 * <p>Each id has one live {@link ProtocolSupport} ({@link ProtocolRegistryImpl}). For a built-in it is the bundle's
 * service. For a package it is the service of the bundle of its current revision: an update installs the new revision
 * beside the old one ({@link PackageBundles}, bundle location {@code thingport:protocol/<sha>/<time>}), checks it
 * ({@link ProtocolCheck}), stores it ({@link PackageStore}), makes it live (the gateways swap codecs,
 * {@link ProtocolListener}) and only then uninstalls the old revision. Anything that fails on the way uninstalls the new
 * revision and leaves the old one serving; the package's detail names the problem.
 *
 * <p>At start the stored packages are brought back on a background thread (their bundles from the framework cache, or
 * installed again from the database); the management operations wait until that is done. Then jars in Karaf's
 * {@code deploy/} ({@link DeployedProtocols}) and the folders of local packages ({@link LocalFolders}) are followed.
 * Immediate, because it restores the packages that the gateways use even when nobody asks for the service.
 */
@Component(service = ProtocolPackageService.class, immediate = true)
public final class ProtocolPackageServiceImpl implements ProtocolPackageService {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolPackageServiceImpl.class);

    private final PackageStore store;
    private final ProtocolRegistryImpl registry;
    private final PackageBundles bundles;
    private final LocalFolders folders;
    /** One thread: the restore at start, then registering the deploy/ installer, then polling the local folders. */
    private final ScheduledThreadPoolExecutor executor;
    private final CountDownLatch restored = new CountDownLatch(1);
    private final AtomicReference<ServiceRegistration<?>> deployInstaller = new AtomicReference<>();
    /** One management operation at a time. */
    private final ReentrantLock ops = new ReentrantLock();
    /** Guards the state below; never held while bundles start or stop (their services call back into the registry). */
    private final Object lock = new Object();
    private final Map<String, Row> packages = new TreeMap<>();
    /** Package id → why it is not running, or what its last refused update or reload said. */
    private final Map<String, String> problems = new HashMap<>();
    /** The gateways configured with a protocol (the network manager answers). */
    private final UsageChecks usages = new UsageChecks();
    private volatile boolean closed;

    /** A new revision that passed {@link ProtocolCheck}, with the protocol id it provides. */
    private record Candidate(Revision revision, String id) {
    }

    @Activate
    public ProtocolPackageServiceImpl(@Reference Storage storage, @Reference ProtocolRegistryImpl registry, BundleContext context) {
        this(new PackageStore(storage), registry, new OsgiPackageBundles(context, registry));
        bundles.whenStarted(() -> executor.execute(() -> followDeployFolder(context)));
        executor.scheduleWithFixedDelay(folders::poll, LocalFolders.POLL_MS, LocalFolders.POLL_MS, TimeUnit.MILLISECONDS);
    }

    /** Reads the stored packages, claims their ids and brings them back on the background thread. */
    ProtocolPackageServiceImpl(PackageStore store, ProtocolRegistryImpl registry, PackageBundles bundles) {
        this.store = store;
        this.registry = registry;
        this.bundles = bundles;
        this.folders = new LocalFolders(this::localFolders, this::reload);
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "thingport-protocol-packages");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        List<Row> rows = store.all();
        synchronized (lock) {
            rows.forEach(r -> {
                packages.put(r.id(), r);
                problems.put(r.id(), PackageInfos.STARTING);
            });
        }
        registry.claim(rows.stream().map(Row::id).collect(Collectors.toSet()));
        bundles.whenStarted(() -> executor.execute(this::restoreAll));
    }

    @Deactivate
    void deactivate() {
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
        bundles.close();
    }

    @Reference(service = UsageCheck.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindUsageCheck(ComponentServiceObjects<UsageCheck> check) {
        usages.add(check);
    }

    void unbindUsageCheck(ComponentServiceObjects<UsageCheck> check) {
        usages.remove(check);
    }

    /** The checks asked before a delete (tests add their own). */
    UsageChecks usages() {
        return usages;
    }

    // ------------------------------------------------------------------ management

    @Override
    public ProtocolPackageInfo add(String type, String source, String name, String description) {
        String t = PackageInputs.type(type);
        String src = PackageInputs.source(source);
        PackageInputs.checkTexts(name, description);
        lockOps();
        try {
            Prepared p = PackageJars.prepare(t, src);
            Candidate n = installAndCheck(p);
            String id = n.id();
            Revision installed = n.revision();
            String conflict;
            synchronized (lock) {
                Row existing = packages.get(id);
                String builtin = registry.builtinBundle(id).orElse(null);
                conflict = existing != null ? "package " + existing.name() + ", type " + existing.type() + ", version "
                        + existing.version() + "; use iot:protocol-update " + id
                        : builtin != null ? "built into the platform by bundle " + builtin : null;
            }
            if (conflict != null) {
                bundles.discard(installed.bundleId());
                throw new ThingportException(ErrorCode.CONFLICT, "protocol " + id + " is already installed (" + conflict + ")");
            }
            Instant now = Instant.now();
            Row row = new Row(id, PackageInputs.nameOr(name, installed.protocol().name()), PackageInputs.descriptionOr(description, ""), t,
                    src, installed.protocol().version(), p.sha256(), 1, installed.location(), now, now);
            try {
                store.insert(row, p.bundleBytes());
            } catch (RuntimeException e) {
                bundles.discard(installed.bundleId());
                throw e;
            }
            synchronized (lock) {
                packages.put(id, row);
                problems.remove(id);
                registry.serve(id, installed.bundleId());
            }
            if (t.equals(TYPE_LOCAL)) {
                folders.remember(id, src);
            }
            LOG.info("Protocol package {} ({} {}, version {}) installed from {}", id, row.name(), t, row.version(), src);
            return require(id);
        } finally {
            ops.unlock();
        }
    }

    @Override
    public ProtocolPackageInfo update(String id, String source, String name, String description) {
        PackageInputs.checkTexts(name, description);
        lockOps();
        try {
            Row old = row(id);
            String src = source == null || source.isBlank() ? null : source.trim();
            if (src == null && old.type().equals(TYPE_LOCAL)) {
                src = old.source(); // a local package re-reads its folder
            }
            if (src != null && replace(old, src, name, description)) {
                return require(id);
            }
            if (name == null && description == null) {
                return require(id); // the same code again, and nothing else to change
            }
            // no new code (none given, or the same bytes): only the name and description change
            Row updated = new Row(old.id(), PackageInputs.nameOr(name, old.name()), PackageInputs.descriptionOr(description,
                    old.description()), old.type(), old.source(), old.version(), old.sha256(), old.revision(), old.location(),
                    old.installedAt(), Instant.now());
            store.updateTexts(updated);
            synchronized (lock) {
                packages.put(id, updated);
            }
            return require(id);
        } finally {
            ops.unlock();
        }
    }

    /**
     * Installs a new revision of a package beside the old one, checks it, stores it and makes it live; then uninstalls
     * the old revision. A refused revision is uninstalled, the old one keeps serving and the package's detail says why.
     *
     * @return {@code false} when the source holds exactly the code that is running (nothing was installed)
     */
    private boolean replace(Row old, String src, String name, String description) {
        long started = System.nanoTime();
        String id = old.id();
        Prepared p;
        Candidate n;
        try {
            p = PackageJars.prepare(old.type(), src);
            if (p.sha256().equals(old.sha256()) && registry.serves(id)) {
                return false;
            }
            n = installAndCheck(p);
        } catch (ThingportException e) {
            synchronized (lock) {
                problems.put(id, "update refused at " + Instant.now() + ": " + e.getMessage() + " (version " + old.version()
                        + " keeps running)");
            }
            throw new ThingportException(e.code(), "update of protocol " + id + " refused, version " + old.version()
                    + " keeps running: " + e.getMessage());
        }
        Revision installed = n.revision();
        if (!n.id().equals(id)) {
            bundles.discard(installed.bundleId());
            throw ThingportException.invalidArgument("update of protocol " + id + " refused, version " + old.version()
                    + " keeps running: the new package provides protocol " + n.id() + ", not " + id);
        }
        Row row = new Row(id, PackageInputs.nameOr(name, old.name()), PackageInputs.descriptionOr(description, old.description()),
                old.type(), src, installed.protocol().version(), p.sha256(), old.revision() + 1, installed.location(),
                old.installedAt(), Instant.now());
        try {
            store.updateRevision(row, p.bundleBytes());
        } catch (RuntimeException e) {
            bundles.discard(installed.bundleId());
            throw e;
        }
        Long previous;
        synchronized (lock) {
            packages.put(id, row);
            problems.remove(id);
            previous = registry.serve(id, installed.bundleId()); // the gateways swap to the new codecs here
        }
        if (previous != null) {
            bundles.discard(previous);
        }
        if (row.type().equals(TYPE_LOCAL)) {
            folders.remember(id, src);
        }
        LOG.info("Protocol package {} updated to revision {} (version {}, was {}) from {} in {} ms", id, row.revision(), row.version(),
                old.version(), src, (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    /** Installs a revision and checks its protocol; one that fails the check is uninstalled. */
    private Candidate installAndCheck(Prepared p) {
        Revision r = bundles.install(p.sha256(), p.bundleBytes(), p.inspection().serviceClasses());
        try {
            return new Candidate(r, ProtocolCheck.check(r.protocol()));
        } catch (RuntimeException | LinkageError e) {
            bundles.discard(r.bundleId());
            if (e instanceof ThingportException te) {
                throw te;
            }
            throw ThingportException.invalidArgument("the package fails: " + e);
        }
    }

    @Override
    public void delete(String id) {
        lockOps();
        try {
            Row row = row(id);
            List<String> users = gatewaysUsing(id);
            if (!users.isEmpty()) {
                throw new ThingportException(ErrorCode.CONFLICT, "protocol " + id + " is used by gateway" + (users.size() > 1 ? "s " : " ")
                        + String.join(", ", users) + ": delete them or give them another protocol first");
            }
            store.delete(id);
            Long bundle;
            synchronized (lock) {
                packages.remove(id);
                problems.remove(id);
                folders.forget(id);
                bundle = registry.release(id);
            }
            if (bundle != null) {
                bundles.discard(bundle);
            }
            LOG.info("Protocol package {} ({}) deleted", id, row.name());
        } finally {
            ops.unlock();
        }
    }

    // ------------------------------------------------------------------ what is installed

    @Override
    public List<ProtocolPackageInfo> list() {
        List<String> ids = new ArrayList<>();
        synchronized (lock) {
            ids.addAll(packages.keySet());
            registry.live().keySet().stream().filter(id -> !packages.containsKey(id)).forEach(ids::add);
        }
        return ids.stream().sorted().map(this::info).flatMap(Optional::stream).toList();
    }

    @Override
    public Optional<ProtocolPackageInfo> info(String id) {
        Row row;
        Tracked service;
        String problem;
        synchronized (lock) {
            row = packages.get(id);
            service = registry.liveService(id).orElse(null);
            problem = problems.getOrDefault(id, "");
        }
        if (row == null && service == null) {
            return Optional.empty();
        }
        return PackageInfos.of(id, row, service, problem, gatewaysUsing(id));
    }

    /** The package installed from {@code source} (a deploy/ file), if any. */
    Optional<String> packageFrom(String source) {
        synchronized (lock) {
            return packages.values().stream().filter(r -> r.source().equals(source)).map(Row::id).findFirst();
        }
    }

    private ProtocolPackageInfo require(String id) {
        return info(id).orElseThrow(() -> ThingportException.notFound("protocol", id));
    }

    private Row row(String id) {
        synchronized (lock) {
            Row row = packages.get(id);
            if (row != null) {
                return row;
            }
            if (registry.live().containsKey(id)) {
                throw new ThingportException(ErrorCode.CONFLICT, "protocol " + id + " is built into the platform (a feature bundle):"
                        + " it is managed with the feature, not with iot:protocol-* commands");
            }
        }
        throw ThingportException.notFound("protocol", id);
    }

    private List<String> gatewaysUsing(String id) {
        return usages.users(UsageCheck.Kind.PROTOCOL, id);
    }

    // ------------------------------------------------------------------ the background thread

    /** Waits until the stored packages are back, then takes the one-operation-at-a-time lock. */
    private void lockOps() {
        try {
            restored.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThingportException(ErrorCode.INTERNAL, "interrupted while the stored protocol packages were being started");
        }
        ops.lock();
    }

    /** Brings every stored package back, then uninstalls the package bundles that none of them uses. */
    private void restoreAll() {
        ops.lock();
        try {
            List<Row> rows;
            synchronized (lock) {
                rows = List.copyOf(packages.values());
            }
            for (Row row : rows) {
                if (closed) {
                    return;
                }
                restore(row);
            }
            bundles.removeStrays(rows.stream().map(Row::location).collect(Collectors.toSet()));
        } catch (RuntimeException e) {
            LOG.error("Starting the stored protocol packages failed: {}", e.toString());
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
            synchronized (lock) {
                problems.remove(id);
                registry.serve(id, r.bundleId());
            }
            if (row.type().equals(TYPE_LOCAL)) {
                folders.remember(id, row.source());
            }
            LOG.info("Protocol package {} (version {}, revision {}) restored", id, row.version(), row.revision());
        } catch (RuntimeException | LinkageError e) {
            String why = e instanceof ThingportException ? e.getMessage() : e.toString();
            synchronized (lock) {
                problems.put(id, "cannot start the stored package: " + why + " (iot:protocol-update " + id
                        + " <jar> installs a working one)");
            }
            LOG.error("Protocol package {} cannot start: {}", id, why);
        }
    }

    /** Hands the protocol jars of Karaf's deploy/ folder to {@link DeployedProtocols} (after the restore). */
    private void followDeployFolder(BundleContext context) {
        if (closed) {
            return;
        }
        DeployedProtocols deployed = new DeployedProtocols(this);
        deployInstaller.set(deployed.register(context));
        if (closed) {
            unregisterQuietly(deployInstaller.getAndSet(null));
            return;
        }
        deployed.adoptEarlyBundles(context, executor);
    }

    /** The local packages: id → folder. */
    private Map<String, String> localFolders() {
        Map<String, String> out = new LinkedHashMap<>();
        synchronized (lock) {
            packages.values().stream().filter(r -> r.type().equals(TYPE_LOCAL)).forEach(r -> out.put(r.id(), r.source()));
        }
        return out;
    }

    /** Reloads a local package whose folder changed (from the polling thread); skipped while an operator changes packages. */
    private void reload(String id, Path folder, String fingerprint) {
        if (closed || !ops.tryLock()) {
            return; // an operator is changing packages: next poll
        }
        try {
            Row row;
            synchronized (lock) {
                row = packages.get(id);
            }
            folders.rememberFingerprint(id, fingerprint); // a refused reload is not retried until the folder changes again
            if (row != null && replace(row, row.source(), null, null)) {
                LOG.info("Protocol package {}: reloaded from {}", id, folder);
            }
        } catch (RuntimeException e) {
            LOG.error("Protocol package {}: reload from {} refused: {}", id, folder, e.getMessage());
        } finally {
            ops.unlock();
        }
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
