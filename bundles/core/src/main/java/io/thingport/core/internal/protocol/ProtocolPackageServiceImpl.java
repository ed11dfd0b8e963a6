package io.thingport.core.internal.protocol;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogService;
import io.thingport.api.protocol.ProtocolPackageInfo;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.core.internal.access.SystemEvents;
import io.thingport.core.internal.protocol.Fallbacks.Fallback;
import io.thingport.core.internal.protocol.KnownPackages.Seen;
import io.thingport.core.internal.protocol.PackageBundles.Revision;
import io.thingport.core.internal.protocol.PackageJars.Prepared;
import io.thingport.core.internal.protocol.PackageStore.Row;
import io.thingport.core.internal.protocol.ProtocolRegistryImpl.Tracked;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.usage.UsageCheck;
import io.thingport.core.internal.usage.UsageChecks;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.framework.BundleContext;
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
 * ({@link ProtocolCheck}), stores it ({@link PackageStore}) and makes it live (the gateways swap codecs,
 * {@link ProtocolListener}). Anything that fails on the way uninstalls the new revision and leaves the old one serving;
 * the package's detail names the problem.
 *
 * <p>The old revision stays installed behind the new one ({@link Fallbacks}) until the next update, the delete or a
 * restart: a revision that passed its check can still fail on live traffic (a class missing on one path). When it fails
 * with an internal error on a message, the gateway decodes that message with the previous revision
 * ({@link RevisionFallbacks}); if that works, the package is rolled back to it, once: the gateways swap back, the
 * database holds the previous revision again, the failing one is uninstalled, and the package's detail says so.
 *
 * <p>At start {@link PackageRestore} brings the stored packages back on a background thread; the management operations
 * wait until that is done, and run one at a time (the restore is one of them). Then jars in Karaf's {@code deploy/}
 * ({@link DeployedProtocols}) are followed, and the folders of local packages ({@link LocalFolders}) reload here.
 * Immediate, because it restores the packages that the gateways use even when nobody asks for the service. Every
 * package added, updated, deleted, refused, rolled back or failing to start is written to the system log (category
 * {@code protocol}).
 */
@Component(service = {ProtocolPackageService.class, RevisionFallbacks.class}, immediate = true)
public final class ProtocolPackageServiceImpl implements ProtocolPackageService, RevisionFallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolPackageServiceImpl.class);

    private final PackageStore store;
    private final ProtocolRegistryImpl registry;
    private final PackageBundles bundles;
    private final KnownPackages known;
    private final LocalFolders folders;
    private final PackageRestore restore;
    private final SystemLogService systemLog;
    /** The previous revision of each package updated since the start, kept until the next update. */
    private final Fallbacks fallbacks = new Fallbacks();
    /** One management operation at a time (the restore at start and the reloads of local folders are ones too). */
    private final ReentrantLock ops = new ReentrantLock();
    /** The gateways configured with a protocol (the network manager answers). */
    private final UsageChecks usages = new UsageChecks();

    /** A new revision that passed {@link ProtocolCheck}, with the protocol id, name and version it gave then. */
    private record Candidate(Revision revision, String id, String name, String version) {
    }

    @Activate
    public ProtocolPackageServiceImpl(@Reference Storage storage, @Reference ProtocolRegistryImpl registry,
                                      @Reference SystemLogService systemLog, BundleContext context) {
        this(new PackageStore(storage), registry, new OsgiPackageBundles(context, registry), systemLog, context);
    }

    /** Reads the stored packages, claims their ids and brings them back on the background thread (no deploy/ folder, no polling). */
    ProtocolPackageServiceImpl(PackageStore store, ProtocolRegistryImpl registry, PackageBundles bundles) {
        this(store, registry, bundles, SystemEvents.NONE, null);
    }

    /** As {@link #ProtocolPackageServiceImpl(PackageStore, ProtocolRegistryImpl, PackageBundles)}, recording to a system log. */
    ProtocolPackageServiceImpl(PackageStore store, ProtocolRegistryImpl registry, PackageBundles bundles, SystemLogService systemLog) {
        this(store, registry, bundles, systemLog, null);
    }

    /** @param context where the deploy/ installer is registered after the restore, and the local folders polled; or {@code null} */
    private ProtocolPackageServiceImpl(PackageStore store, ProtocolRegistryImpl registry, PackageBundles bundles,
                                       SystemLogService systemLog, BundleContext context) {
        this.store = store;
        this.systemLog = systemLog;
        this.registry = registry;
        this.bundles = bundles;
        this.known = new KnownPackages(registry);
        this.folders = new LocalFolders(known::localFolders, this::reload);
        this.restore = new PackageRestore(store, registry, bundles, known, folders, ops, systemLog);
        if (context == null) {
            restore.start();
        } else {
            restore.start(context, new DeployedProtocols(this));
        }
    }

    @Deactivate
    void deactivate() {
        restore.close();
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
    public ProtocolPackageInfo add(String type, String source, String sha256, String name, String description) {
        String t = PackageInputs.type(type);
        String src = PackageInputs.source(source);
        String expected = PackageInputs.expectedSha256(t, src, sha256);
        PackageInputs.checkTexts(name, description);
        lockOps();
        try {
            Prepared p = PackageJars.prepare(t, src, expected);
            Candidate n = installAndCheck(p);
            String id = n.id();
            Revision installed = n.revision();
            Row existing = known.get(id).orElse(null);
            String builtin = registry.builtinBundle(id).orElse(null);
            String conflict = existing != null ? "package " + existing.name() + ", type " + existing.type() + ", version "
                    + existing.version() + "; use iot:protocol-update " + id
                    : builtin != null ? "built into the platform by bundle " + builtin : null;
            if (conflict != null) {
                bundles.discard(installed.bundleId());
                throw new ThingportException(ErrorCode.CONFLICT, "protocol " + id + " is already installed (" + conflict + ")");
            }
            Instant now = Instant.now();
            Row row = new Row(id, PackageInputs.nameOr(name, n.name()), PackageInputs.descriptionOr(description, ""), t,
                    src, n.version(), p.sha256(), 1, installed.location(), now, now);
            try {
                store.insert(row, p.bundleBytes());
            } catch (RuntimeException e) {
                bundles.discard(installed.bundleId());
                throw e;
            }
            known.serve(row, installed.bundleId());
            if (t.equals(TYPE_LOCAL)) {
                folders.remember(id, src);
            }
            LOG.info("Protocol package {} ({} {}, version {}) installed from {}", id, row.name(), t, row.version(), src);
            record(SystemEvent.INFO, id, "protocol package added: " + row.name() + " (" + t + "), version " + row.version() + " from "
                    + src);
            return require(id);
        } finally {
            ops.unlock();
        }
    }

    @Override
    public ProtocolPackageInfo update(String id, String source, String sha256, String name, String description) {
        PackageInputs.checkTexts(name, description);
        lockOps();
        try {
            Row old = row(id);
            String src = source == null || source.isBlank() ? null : source.trim();
            if (src == null && sha256 != null && !sha256.isBlank()) {
                throw ThingportException.invalidArgument("--sha256 checks a new jar: give its file or URL too");
            }
            if (src == null && old.type().equals(TYPE_LOCAL)) {
                src = old.source(); // a local package re-reads its folder
            }
            String expected = src == null ? null : PackageInputs.expectedSha256(old.type(), src, sha256);
            if (src != null && replace(old, src, expected, name, description)) {
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
            known.put(updated);
            record(SystemEvent.INFO, id, "protocol package updated: name " + updated.name() + ", description changed");
            return require(id);
        } finally {
            ops.unlock();
        }
    }

    /**
     * Installs a new revision of a package beside the old one, checks it, stores it and makes it live; the old revision
     * stays installed as its fallback, and the one kept behind the old revision (if any) is uninstalled. A refused
     * revision is uninstalled, the old one keeps serving and the package's detail says why.
     *
     * @return {@code false} when the source holds exactly the code that is running (nothing was installed)
     */
    private boolean replace(Row old, String src, String expectedSha256, String name, String description) {
        long started = System.nanoTime();
        String id = old.id();
        Prepared p;
        Candidate n;
        try {
            p = PackageJars.prepare(old.type(), src, expectedSha256);
            if (p.sha256().equals(old.sha256()) && registry.serves(id)) {
                return false;
            }
            n = installAndCheck(p);
            if (!n.id().equals(id)) {
                bundles.discard(n.revision().bundleId());
                throw ThingportException.invalidArgument("the new package provides protocol " + n.id() + ", not " + id);
            }
        } catch (ThingportException e) {
            refused(old, e.getMessage());
            throw new ThingportException(e.code(), "update of protocol " + id + " refused, version " + old.version()
                    + " keeps running: " + e.getMessage());
        }
        Revision installed = n.revision();
        Row row = new Row(id, PackageInputs.nameOr(name, old.name()), PackageInputs.descriptionOr(description, old.description()),
                old.type(), src, n.version(), p.sha256(), old.revision() + 1, installed.location(),
                old.installedAt(), Instant.now());
        Tracked running = registry.currentRevision(id).orElse(null); // null: the stored package could not start
        Fallback fallback;
        try {
            fallback = running == null ? null : new Fallback(row, installed.bundleId(), installed.protocol(), old, store.content(id),
                    running.bundleId(), running.protocol());
            store.updateRevision(row, p.bundleBytes());
        } catch (RuntimeException e) {
            bundles.discard(installed.bundleId());
            refused(old, "cannot store revision " + row.revision() + ": " + (e instanceof ThingportException ? e.getMessage() : e));
            throw e;
        }
        // The fallback first: a message the new revision fails on right after the swap finds it.
        Fallback before = fallback == null ? fallbacks.remove(id) : fallbacks.put(fallback);
        Long previous = known.serve(row, installed.bundleId()); // the gateways swap to the new codecs here
        if (before != null) {
            bundles.discard(before.previousBundleId()); // the revision before the previous one
        }
        if (previous != null && (fallback == null || previous != fallback.previousBundleId())) {
            bundles.discard(previous);
        }
        if (row.type().equals(TYPE_LOCAL)) {
            folders.remember(id, src);
        }
        LOG.info("Protocol package {} updated to revision {} (version {}, was {}) from {} in {} ms", id, row.revision(), row.version(),
                old.version(), src, (System.nanoTime() - started) / 1_000_000);
        record(SystemEvent.INFO, id, "protocol package updated to revision " + row.revision() + " (version " + row.version()
                + ", was " + old.version() + ") from " + src);
        return true;
    }

    /** Notes on the package why an update of it was refused: its detail shows it until the next update or restart. */
    private void refused(Row old, String why) {
        known.problem(old.id(), "update refused at " + Instant.now() + ": " + why + " (version " + old.version() + " keeps running)");
        record(SystemEvent.WARN, old.id(), "protocol package update refused: " + why + " (version " + old.version() + " keeps running)");
    }

    private void record(String level, String id, String message) {
        systemLog.record(level, SystemEvents.PROTOCOL, id, message);
    }

    /**
     * Installs a revision and checks its protocol; one that fails the check is uninstalled. The name and version to
     * store are read here too, so that a protocol that throws after its check is uninstalled as well.
     */
    private Candidate installAndCheck(Prepared p) {
        Revision r = bundles.install(p.sha256(), p.bundleBytes(), p.inspection().serviceClasses());
        try {
            String id = ProtocolCheck.check(r.protocol());
            return new Candidate(r, id, r.protocol().name(), r.protocol().version());
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
            Long bundle = known.remove(id);
            Fallback fallback = fallbacks.remove(id);
            folders.forget(id);
            if (bundle != null) {
                bundles.discard(bundle);
            }
            if (fallback != null) {
                bundles.discard(fallback.previousBundleId());
            }
            LOG.info("Protocol package {} ({}) deleted", id, row.name());
            record(SystemEvent.INFO, id, "protocol package deleted: " + row.name());
        } finally {
            ops.unlock();
        }
    }

    // ------------------------------------------------------------------ fallback and rollback

    @Override
    public Optional<ProtocolSupport> previous(ProtocolSupport failing) {
        return fallbacks.previous(failing);
    }

    @Override
    public void rollBack(ProtocolSupport failing, Throwable error) {
        fallbacks.claimRollback(failing).ifPresent(f -> restore.background(() -> rollBackNow(f, error)));
    }

    /**
     * Rolls a package back to the revision behind its current one (on the background thread, once per fallback): the
     * gateways swap back, the database holds the previous revision again, the failing revision is uninstalled, and the
     * package's detail says why. Skipped when an update or a delete came first.
     */
    private void rollBackNow(Fallback f, Throwable error) {
        ops.lock();
        try {
            if (!fallbacks.isCurrent(f)) {
                LOG.info("Protocol package {}: revision {} was replaced before its rollback, which is skipped", f.id(), f.row().revision());
                return;
            }
            Instant now = Instant.now();
            Row failed = f.row();
            Row back = f.previousRow();
            back = new Row(back.id(), back.name(), back.description(), back.type(), back.source(), back.version(), back.sha256(),
                    back.revision(), back.location(), back.installedAt(), now);
            String note = "revision " + failed.revision() + " (version " + failed.version() + ") rolled back at " + now + ": " + error
                    + ", on a message that revision " + back.revision() + " (version " + back.version() + ") decoded";
            try {
                store.updateRevision(back, f.previousContent());
            } catch (RuntimeException e) {
                note += "; the database still holds revision " + failed.revision() + ", which a restart brings back: "
                        + (e instanceof ThingportException ? e.getMessage() : e);
            }
            known.serve(back, f.previousBundleId(), note); // the gateways swap back here
            fallbacks.remove(f.id());
            bundles.discard(f.bundleId());
            LOG.warn("Protocol package {}: {}", f.id(), note);
            record(SystemEvent.WARN, f.id(), "protocol package failed on live traffic: " + note);
        } catch (RuntimeException e) {
            LOG.error("Protocol package {}: the rollback of revision {} failed: {}", f.id(), f.row().revision(), e.toString());
            record(SystemEvent.ERROR, f.id(), "protocol package: the rollback of revision " + f.row().revision() + " failed: " + e);
        } finally {
            ops.unlock();
        }
    }

    // ------------------------------------------------------------------ what is installed

    @Override
    public List<ProtocolPackageInfo> list() {
        return known.ids().stream().sorted().map(this::info).flatMap(Optional::stream).toList();
    }

    @Override
    public Optional<ProtocolPackageInfo> info(String id) {
        Seen seen = known.seen(id);
        if (seen.row() == null && seen.service() == null) {
            return Optional.empty();
        }
        return PackageInfos.of(id, seen.row(), seen.service(), seen.problem(), gatewaysUsing(id));
    }

    /** The package installed from {@code source} (a deploy/ file), if any. */
    Optional<String> packageFrom(String source) {
        return known.idFrom(source);
    }

    private ProtocolPackageInfo require(String id) {
        return info(id).orElseThrow(() -> ThingportException.notFound("protocol", id));
    }

    private Row row(String id) {
        Optional<Row> row = known.get(id);
        if (row.isPresent()) {
            return row.get();
        }
        if (registry.live().containsKey(id)) {
            throw new ThingportException(ErrorCode.CONFLICT, "protocol " + id + " is built into the platform (a feature bundle):"
                    + " it is managed with the feature, not with iot:protocol-* commands");
        }
        throw ThingportException.notFound("protocol", id);
    }

    private List<String> gatewaysUsing(String id) {
        return usages.users(UsageCheck.Kind.PROTOCOL, id);
    }

    // ------------------------------------------------------------------ one at a time

    /** Waits until the stored packages are back, then takes the one-operation-at-a-time lock. */
    private void lockOps() {
        restore.awaitRestored();
        ops.lock();
    }

    /** Reloads a local package whose folder changed (from the polling thread); skipped while an operator changes packages. */
    private void reload(String id, Path folder, String fingerprint) {
        if (restore.closed() || !ops.tryLock()) {
            return; // an operator is changing packages: next poll
        }
        try {
            Row row = known.get(id).orElse(null);
            folders.rememberFingerprint(id, fingerprint); // a refused reload is not retried until the folder changes again
            if (row != null && replace(row, row.source(), null, null, null)) {
                LOG.info("Protocol package {}: reloaded from {}", id, folder);
            }
        } catch (RuntimeException e) {
            LOG.error("Protocol package {}: reload from {} refused: {}", id, folder, e.getMessage());
            // refused(), on the way, wrote it to the system log
        } finally {
            ops.unlock();
        }
    }
}
