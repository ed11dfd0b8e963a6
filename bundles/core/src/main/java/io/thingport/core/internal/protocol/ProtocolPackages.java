package io.thingport.core.internal.protocol;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.protocol.ProtocolPackageInfo;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.api.protocol.ProtocolRegistry;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.protocol.PackageJars.Prepared;
import io.thingport.core.internal.protocol.PackageStore.Row;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.usage.UsageCheck;
import io.thingport.core.internal.usage.UsageChecks;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol packages: the built-in protocol bundles (features) and the packages installed at run time, which it
 * installs as bundles, checks, keeps in the database and swaps without dropping a connection.
 *
 * <p>Each id has one live {@link ProtocolSupport}. For a built-in it is the bundle's service. For a package it is the
 * service of the bundle of its current revision: an update installs the new revision beside the old one (bundle
 * location {@code thingport:protocol/<id>/<revision>}), checks it ({@link ProtocolCheck}), stores it, makes it live
 * (the gateways swap codecs, {@link ProtocolListener}) and only then uninstalls the old revision. Anything that fails on the
 * way uninstalls the new revision and leaves the old one serving.
 *
 * <p>Jars that name their {@code ProtocolSupport} in {@code META-INF/services} are instantiated and registered here,
 * in the package bundle's context; bundles with Declarative Services register theirs themselves.
 */
@Component(service = {ProtocolPackages.class, ProtocolPackageService.class, ProtocolRegistry.class})
public final class ProtocolPackages implements ProtocolPackageService, ProtocolRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolPackages.class);
    static final String LOCATION_PREFIX = "thingport:protocol/";
    private static final long SERVICE_WAIT_MS = 15_000;
    private static final long POLL_MS = 1_000;

    private final PackageStore store;
    private final BundleContext context;
    /** Guards the state below; never held while bundles start or stop (their services call back in). */
    private final Object lock = new Object();
    /** One management operation at a time. */
    private final ReentrantLock ops = new ReentrantLock();
    private final Map<ServiceReference<ProtocolSupport>, Entry> services = new LinkedHashMap<>();
    private final Map<String, Row> packages = new TreeMap<>();
    /** Package id → bundle id of its live revision. */
    private final Map<String, Long> current = new HashMap<>();
    /** Package id → why it is not running, or what its last refused update or reload said. */
    private final Map<String, String> problems = new HashMap<>();
    private final Map<Long, List<ServiceRegistration<ProtocolSupport>>> registrations = new HashMap<>();
    private final Map<String, String> folderFingerprints = new HashMap<>();
    /** Local package id → a folder fingerprint seen once (the watcher's thread only): reloaded when seen twice. */
    private final Map<String, String> pendingFingerprints = new HashMap<>();
    private Map<String, ProtocolSupport> live = Map.of();
    /** Follow the live protocols (guarded by {@link #lock}). */
    private final List<ProtocolListener> listeners = new ArrayList<>();
    /** The gateways configured with a protocol (the network manager answers). */
    private final UsageChecks usages = new UsageChecks();
    private ScheduledExecutorService watcher;
    private ServiceRegistration<?> deployInstaller;

    private record Entry(ProtocolSupport protocol, String id, long bundleId, String location, String bundleName) {
    }

    @Activate
    public ProtocolPackages(@Reference Storage storage, BundleContext context) {
        this.store = new PackageStore(storage);
        this.context = context;
    }

    @Activate
    void activate() {
        List<Row> rows = store.all();
        ops.lock();
        try {
            for (Row row : rows) {
                synchronized (lock) {
                    packages.put(row.id(), row);
                }
                restore(row);
            }
            removeStrays();
        } finally {
            ops.unlock();
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "thingport-protocol-folders");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::watchFolders, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 100);
        DeployedProtocols deployed = new DeployedProtocols(this);
        deployInstaller = context.registerService(org.apache.felix.fileinstall.ArtifactInstaller.class.getName(), deployed, props);
        watcher.execute(() -> deployed.adoptEarlyBundles(context, watcher));
    }

    @Deactivate
    void deactivate() {
        if (deployInstaller != null) {
            deployInstaller.unregister();
        }
        if (watcher != null) {
            watcher.shutdownNow();
        }
        List<ServiceRegistration<ProtocolSupport>> all = new ArrayList<>();
        synchronized (lock) {
            registrations.values().forEach(all::addAll);
            registrations.clear();
        }
        all.forEach(ProtocolPackages::unregisterQuietly);
    }

    // ------------------------------------------------------------------ the live protocols

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addProtocol(ServiceReference<ProtocolSupport> ref, ProtocolSupport protocol) {
        String id;
        try {
            id = protocol.id();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("A protocol of bundle {} fails to tell its id: {}", ref.getBundle(), e.toString());
            return;
        }
        Bundle b = ref.getBundle();
        if (b == null) {
            return;
        }
        synchronized (lock) {
            services.put(ref, new Entry(protocol, id, b.getBundleId(), b.getLocation(), b.getSymbolicName()));
            publish();
            lock.notifyAll();
        }
    }

    void removeProtocol(ServiceReference<ProtocolSupport> ref, ProtocolSupport protocol) {
        synchronized (lock) {
            if (services.remove(ref) != null) {
                publish();
            }
        }
    }

    /** A listener gets the live protocols at once and after every change, in order. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addProtocolListener(ProtocolListener listener) {
        synchronized (lock) {
            listeners.add(listener);
            listener.protocolsChanged(live);
        }
    }

    void removeProtocolListener(ProtocolListener listener) {
        synchronized (lock) {
            listeners.remove(listener);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addUsageCheck(UsageCheck check) {
        usages.add(check);
    }

    void removeUsageCheck(UsageCheck check) {
        usages.remove(check);
    }

    private List<String> gatewaysUsing(String id) {
        return usages.users(UsageCheck.Kind.PROTOCOL, id);
    }

    private void publish() {
        Map<String, ProtocolSupport> next = new TreeMap<>();
        Map<String, ServiceReference<ProtocolSupport>> best = new HashMap<>();
        services.forEach((ref, e) -> {
            if (!e.location().startsWith(LOCATION_PREFIX) && !packages.containsKey(e.id())) {
                ServiceReference<ProtocolSupport> other = best.get(e.id());
                if (other == null || ref.compareTo(other) > 0) {
                    best.put(e.id(), ref);
                    next.put(e.id(), e.protocol());
                }
            }
        });
        services.values().forEach(e -> {
            Long bundle = current.get(e.id());
            if (bundle != null && bundle == e.bundleId() && e.location().startsWith(LOCATION_PREFIX)) {
                next.put(e.id(), e.protocol());
            }
        });
        if (!next.equals(live)) {
            live = Map.copyOf(next);
            listeners.forEach(l -> l.protocolsChanged(live));
        }
    }

    @Override
    public List<ProtocolSupport> protocols() {
        synchronized (lock) {
            List<ProtocolSupport> out = new ArrayList<>(new TreeMap<>(live).values());
            return out;
        }
    }

    @Override
    public Optional<ProtocolSupport> find(String id) {
        synchronized (lock) {
            return Optional.ofNullable(live.get(id));
        }
    }

    // ------------------------------------------------------------------ management

    @Override
    public ProtocolPackageInfo add(String type, String source, String name, String description) {
        String t = type == null ? "" : type.trim().toLowerCase(Locale.ROOT);
        if (!t.equals(TYPE_JAR) && !t.equals(TYPE_LOCAL)) {
            throw ThingportException.invalidArgument("type must be jar (a .jar/.zip file or URL) or local (a folder of compiled"
                    + " classes), not '" + type + "'");
        }
        String src = requireSource(source);
        checkTexts(name, description);
        ops.lock();
        try {
            Prepared p = PackageJars.prepare(t, src);
            Installed n = installAndCheck(p, "new", null);
            String id = n.id();
            synchronized (lock) {
                Row existing = packages.get(id);
                String builtin = services.values().stream().filter(e -> e.id().equals(id) && !e.location().startsWith(LOCATION_PREFIX))
                        .map(Entry::bundleName).findFirst().orElse(null);
                if (existing != null || builtin != null) {
                    discard(n.bundle());
                    throw new ThingportException(ErrorCode.CONFLICT, "protocol " + id + " is already installed ("
                            + (existing != null ? "package " + existing.name() + ", type " + existing.type() + ", version "
                            + existing.version() + "; use iot:protocol-update " + id : "built into the platform by bundle " + builtin) + ")");
                }
            }
            Instant now = Instant.now();
            Bundle installed = n.bundle();
            Row row = new Row(id, nameOr(name, n.protocol().name()), description == null ? "" : description.trim(), t, src,
                    n.protocol().version(), p.sha256(), 1, installed.getLocation(), now, now);
            try {
                store.insert(row, p.bundleBytes());
            } catch (RuntimeException e) {
                discard(installed);
                throw e;
            }
            synchronized (lock) {
                packages.put(id, row);
                current.put(id, installed.getBundleId());
                problems.remove(id);
                publish();
            }
            if (t.equals(TYPE_LOCAL)) {
                rememberFolder(id, src);
            }
            LOG.info("Protocol package {} ({} {}, version {}) installed from {}", id, row.name(), t, row.version(), src);
            return require(id);
        } finally {
            ops.unlock();
        }
    }

    @Override
    public ProtocolPackageInfo update(String id, String source, String name, String description) {
        checkTexts(name, description);
        ops.lock();
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
            Row updated = new Row(old.id(), nameOr(name, old.name()), description == null ? old.description() : description.trim(),
                    old.type(), old.source(), old.version(), old.sha256(), old.revision(), old.location(), old.installedAt(),
                    Instant.now());
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
     * Installs a new revision of a package beside the old one, checks it, stores it and makes it live.
     *
     * @return {@code false} when the source holds exactly the code that is running (nothing was installed)
     */
    private boolean replace(Row old, String src, String name, String description) {
        long started = System.nanoTime();
        String id = old.id();
        Prepared p;
        Installed n;
        try {
            p = PackageJars.prepare(old.type(), src);
            synchronized (lock) {
                if (p.sha256().equals(old.sha256()) && current.containsKey(id)) {
                    return false;
                }
            }
            n = installAndCheck(p, "revision " + (old.revision() + 1) + " of", id);
        } catch (ThingportException e) {
            synchronized (lock) {
                problems.put(id, "update refused at " + Instant.now() + ": " + e.getMessage() + " (version " + old.version()
                        + " keeps running)");
            }
            throw new ThingportException(e.code(), "update of protocol " + id + " refused, version " + old.version()
                    + " keeps running: " + e.getMessage());
        }
        if (!n.id().equals(id)) {
            discard(n.bundle());
            throw ThingportException.invalidArgument("update of protocol " + id + " refused, version " + old.version()
                    + " keeps running: the new package provides protocol " + n.id() + ", not " + id);
        }
        Instant now = Instant.now();
        Bundle installed = n.bundle();
        Row row = new Row(id, nameOr(name, old.name()), description == null ? old.description() : description.trim(), old.type(),
                src, n.protocol().version(), p.sha256(), old.revision() + 1, installed.getLocation(), old.installedAt(), now);
        try {
            store.updateRevision(row, p.bundleBytes());
        } catch (RuntimeException e) {
            discard(installed);
            throw e;
        }
        Long previous;
        synchronized (lock) {
            previous = current.put(id, installed.getBundleId());
            packages.put(id, row);
            problems.remove(id);
            publish(); // the gateways swap to the new codecs here
        }
        if (previous != null) {
            discard(context.getBundle(previous));
        }
        if (row.type().equals(TYPE_LOCAL)) {
            rememberFolder(id, src);
        }
        LOG.info("Protocol package {} updated to revision {} (version {}, was {}) from {} in {} ms", id, row.revision(), row.version(),
                old.version(), src, (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    @Override
    public void delete(String id) {
        ops.lock();
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
                bundle = current.remove(id);
                problems.remove(id);
                folderFingerprints.remove(id);
                publish();
            }
            if (bundle != null) {
                discard(context.getBundle(bundle));
            }
            LOG.info("Protocol package {} ({}) deleted", id, row.name());
        } finally {
            ops.unlock();
        }
    }

    @Override
    public List<ProtocolPackageInfo> list() {
        List<String> ids = new ArrayList<>();
        synchronized (lock) {
            ids.addAll(packages.keySet());
            live.keySet().stream().filter(id -> !packages.containsKey(id)).forEach(ids::add);
        }
        return ids.stream().sorted().map(this::info).flatMap(Optional::stream).toList();
    }

    @Override
    public Optional<ProtocolPackageInfo> info(String id) {
        Row row;
        ProtocolSupport protocol;
        String problem;
        Entry builtin;
        synchronized (lock) {
            row = packages.get(id);
            protocol = live.get(id);
            problem = problems.getOrDefault(id, "");
            builtin = row != null ? null : services.values().stream().filter(e -> e.protocol() == live.get(id)).findFirst().orElse(null);
        }
        if (row == null && protocol == null) {
            return Optional.empty();
        }
        List<String> gateways = gatewaysUsing(id);
        Set<Transport> transports = protocol == null ? Set.of() : safe(protocol::transports, Set.<Transport>of());
        boolean tmc = protocol != null && safe(() -> protocol.thingModelCodec().isPresent(), false);
        if (row == null) {
            return Optional.of(new ProtocolPackageInfo(id, safe(protocol::name, id), safe(protocol::description, ""), TYPE_BUILTIN,
                    "bundle " + (builtin == null ? "?" : builtin.bundleName()), safe(protocol::version, "?"), transports, "running", "",
                    "", 0, null, null, gateways, tmc));
        }
        String state = protocol != null ? "running" : "failed";
        return Optional.of(new ProtocolPackageInfo(id, row.name(), row.description(), row.type(), row.source(),
                protocol != null ? safe(protocol::version, row.version()) : row.version(), transports, state, problem, row.sha256(),
                row.revision(), row.installedAt(), row.updatedAt(), gateways, tmc));
    }

    private ProtocolPackageInfo require(String id) {
        return info(id).orElseThrow(() -> ThingportException.notFound("protocol", id));
    }

    /** What a package's own code answers, or {@code fallback} when it throws. */
    private static <T> T safe(java.util.function.Supplier<T> call, T fallback) {
        try {
            T value = call.get();
            return value == null ? fallback : value;
        } catch (RuntimeException | LinkageError e) {
            return fallback;
        }
    }

    /** The package installed from {@code source} (a deploy/ file), if any. */
    Optional<String> packageFrom(String source) {
        synchronized (lock) {
            return packages.values().stream().filter(r -> r.source().equals(source)).map(Row::id).findFirst();
        }
    }

    private Row row(String id) {
        synchronized (lock) {
            Row row = packages.get(id);
            if (row != null) {
                return row;
            }
            if (live.containsKey(id)) {
                throw new ThingportException(ErrorCode.CONFLICT, "protocol " + id + " is built into the platform (a feature bundle):"
                        + " it is managed with the feature, not with iot:protocol-* commands");
            }
        }
        throw ThingportException.notFound("protocol", id);
    }

    private static String requireSource(String source) {
        if (source == null || source.isBlank()) {
            throw ThingportException.invalidArgument("the package source is required: a jar file or URL (type jar) or a folder (type local)");
        }
        return source.trim();
    }

    private static void checkTexts(String name, String description) {
        if (name != null && name.trim().length() > MAX_NAME) {
            throw ThingportException.invalidArgument("name is longer than " + MAX_NAME + " characters (" + name.trim().length() + ")");
        }
        if (name != null && name.isBlank() && !name.isEmpty()) {
            throw ThingportException.invalidArgument("name must not be blank");
        }
        if (description != null && description.trim().length() > MAX_DESCRIPTION) {
            throw ThingportException.invalidArgument("description is longer than " + MAX_DESCRIPTION + " characters ("
                    + description.trim().length() + ")");
        }
    }

    private static String nameOr(String name, String fallback) {
        String n = name == null || name.isBlank() ? fallback : name.trim();
        return n.length() > MAX_NAME ? n.substring(0, MAX_NAME) : n;
    }

    // ------------------------------------------------------------------ installing bundles

    private record Installed(Bundle bundle, ProtocolSupport protocol, String id) {
    }

    /**
     * Installs and starts the bytes as a new bundle, registers what its META-INF/services names, waits for exactly one
     * protocol and checks it. On any failure the bundle is uninstalled and the exception names the problem.
     *
     * @param expectedId the id an update must keep, or {@code null} for a new package
     */
    private Installed installAndCheck(Prepared p, String what, String expectedId) {
        String location = LOCATION_PREFIX + p.sha256().substring(0, 16) + "/" + System.currentTimeMillis() + "-" + System.nanoTime();
        Bundle bundle;
        try {
            bundle = context.installBundle(location, new ByteArrayInputStream(p.bundleBytes()));
        } catch (BundleException | RuntimeException e) {
            throw ThingportException.invalidArgument("the package cannot be installed as a bundle: " + e.getMessage());
        }
        try {
            try {
                bundle.start();
            } catch (BundleException e) {
                throw ThingportException.invalidArgument("the package cannot start: " + e.getMessage());
            }
            registerServices(bundle, p.inspection().serviceClasses());
            ProtocolSupport protocol = awaitProtocol(bundle);
            String id = ProtocolCheck.check(protocol);
            return new Installed(bundle, protocol, id);
        } catch (RuntimeException | LinkageError e) {
            discard(bundle);
            if (e instanceof ThingportException te) {
                throw te;
            }
            throw ThingportException.invalidArgument("the package fails: " + e);
        }
    }

    private void registerServices(Bundle bundle, List<String> classes) {
        List<ServiceRegistration<ProtocolSupport>> regs = new ArrayList<>();
        try {
            for (String name : classes) {
                Object instance;
                try {
                    instance = bundle.loadClass(name).getConstructor().newInstance();
                } catch (ClassNotFoundException e) {
                    throw ThingportException.invalidArgument(PackageJars.SERVICES_ENTRY + " names " + name + ", which the jar does not hold");
                } catch (NoSuchMethodException e) {
                    throw ThingportException.invalidArgument(name + " has no public no-argument constructor");
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw ThingportException.invalidArgument("the constructor of " + name + " failed: " + e.getCause());
                } catch (ReflectiveOperationException | LinkageError e) {
                    throw ThingportException.invalidArgument("cannot create " + name + ": " + e);
                }
                if (!(instance instanceof ProtocolSupport protocol)) {
                    throw ThingportException.invalidArgument(name + " does not implement the platform's " + ProtocolSupport.class.getName()
                            + " (does the jar carry its own copy of the Thingport API?)");
                }
                Hashtable<String, Object> props = new Hashtable<>();
                props.put("thingport.protocol.package", "true");
                regs.add(bundle.getBundleContext().registerService(ProtocolSupport.class, protocol, props));
            }
        } catch (RuntimeException e) {
            regs.forEach(ProtocolPackages::unregisterQuietly);
            throw e;
        }
        synchronized (lock) {
            registrations.put(bundle.getBundleId(), regs);
        }
    }

    private ProtocolSupport awaitProtocol(Bundle bundle) {
        long deadline = System.currentTimeMillis() + SERVICE_WAIT_MS;
        synchronized (lock) {
            while (true) {
                List<Entry> mine = services.values().stream().filter(e -> e.bundleId() == bundle.getBundleId()).toList();
                if (mine.size() > 1) {
                    throw ThingportException.invalidArgument("the package registers " + mine.size() + " protocols ("
                            + mine.stream().map(Entry::id).toList() + "); a package provides exactly one");
                }
                long left = deadline - System.currentTimeMillis();
                if (mine.size() == 1) {
                    return mine.get(0).protocol();
                }
                if (left <= 0) {
                    throw ThingportException.invalidArgument("the package registered no " + ProtocolSupport.class.getName()
                            + " within " + SERVICE_WAIT_MS / 1000 + " s (bundle state " + state(bundle) + ")");
                }
                try {
                    lock.wait(Math.min(left, 200));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ThingportException(ErrorCode.INTERNAL, "interrupted while waiting for the package's protocol");
                }
            }
        }
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.INSTALLED -> "installed";
            case Bundle.STARTING -> "starting";
            default -> String.valueOf(b.getState());
        };
    }

    /** Unregisters what this manager registered for the bundle, uninstalls it and lets its class loader go. */
    private void discard(Bundle bundle) {
        if (bundle == null) {
            return;
        }
        List<ServiceRegistration<ProtocolSupport>> regs;
        synchronized (lock) {
            regs = registrations.remove(bundle.getBundleId());
        }
        if (regs != null) {
            regs.forEach(ProtocolPackages::unregisterQuietly);
        }
        try {
            bundle.uninstall();
            context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle));
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("Protocol bundle {} did not uninstall cleanly: {}", bundle.getLocation(), e.toString());
        }
    }

    private static void unregisterQuietly(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            // already gone with its bundle
        }
    }

    // ------------------------------------------------------------------ restart

    /** Brings a stored package back: its bundle from the framework cache, or installed again from the database. */
    private void restore(Row row) {
        String id = row.id();
        Bundle bundle = null;
        try {
            bundle = context.getBundle(row.location());
            if (bundle == null) {
                byte[] content = store.content(id);
                bundle = context.installBundle(row.location(), new ByteArrayInputStream(content));
            }
            bundle.start();
            registerServices(bundle, serviceClasses(bundle));
            ProtocolSupport protocol = awaitProtocol(bundle);
            String actual = ProtocolCheck.check(protocol);
            if (!actual.equals(id)) {
                throw ThingportException.invalidArgument("the stored package now provides protocol " + actual);
            }
            synchronized (lock) {
                current.put(id, bundle.getBundleId());
                publish();
            }
            if (row.type().equals(TYPE_LOCAL)) {
                rememberFolder(id, row.source());
            }
            LOG.info("Protocol package {} (version {}, revision {}) restored", id, row.version(), row.revision());
        } catch (BundleException | RuntimeException | LinkageError e) {
            String why = e instanceof ThingportException ? e.getMessage() : e.toString();
            synchronized (lock) {
                problems.put(id, "cannot start the stored package: " + why + " (iot:protocol-update " + id
                        + " <jar> installs a working one)");
            }
            LOG.error("Protocol package {} cannot start: {}", id, why);
            discard(bundle); // installed again from the database at the next start, or replaced by an update
        }
    }

    /** The classes a bundle names in META-INF/services for ProtocolSupport. */
    private static List<String> serviceClasses(Bundle bundle) {
        java.net.URL entry = bundle.getEntry(PackageJars.SERVICES_ENTRY);
        if (entry == null) {
            return List.of();
        }
        try (java.io.InputStream in = entry.openStream()) {
            return PackageJars.serviceLines(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw ThingportException.invalidArgument("cannot read " + PackageJars.SERVICES_ENTRY + ": " + e.getMessage());
        }
    }

    /** Uninstalls package bundles that no stored package points at (left by a crash in the middle of an update). */
    private void removeStrays() {
        Set<String> known;
        synchronized (lock) {
            known = packages.values().stream().map(Row::location).collect(java.util.stream.Collectors.toSet());
        }
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(LOCATION_PREFIX) && !known.contains(b.getLocation())) {
                LOG.info("Removing protocol bundle {} that no package uses", b.getLocation());
                discard(b);
            }
        }
    }

    // ------------------------------------------------------------------ local folders

    private void rememberFolder(String id, String folder) {
        String fp = PackageJars.fingerprint(Path.of(folder));
        synchronized (lock) {
            folderFingerprints.put(id, fp);
        }
    }

    /** Reloads a local package whose folder changed and then stayed the same for one poll (a build finished). */
    private void watchFolders() {
        try {
            List<Row> locals;
            synchronized (lock) {
                locals = packages.values().stream().filter(r -> r.type().equals(TYPE_LOCAL)).toList();
            }
            for (Row r : locals) {
                Path folder = Path.of(r.source());
                if (!java.nio.file.Files.isDirectory(folder)) {
                    continue;
                }
                String fp = PackageJars.fingerprint(folder);
                String known;
                synchronized (lock) {
                    known = folderFingerprints.get(r.id());
                }
                if (fp.equals(known)) {
                    continue;
                }
                String seen = pendingFingerprints.put(r.id(), fp);
                if (!fp.equals(seen)) {
                    continue; // still changing: wait until two polls agree
                }
                pendingFingerprints.remove(r.id());
                reload(r.id(), folder, fp);
            }
        } catch (RuntimeException e) {
            LOG.warn("Watching local protocol folders failed: {}", e.toString());
        }
    }

    private void reload(String id, Path folder, String fingerprint) {
        if (!ops.tryLock()) {
            return; // an operator is changing packages: next poll
        }
        try {
            Row row;
            synchronized (lock) {
                row = packages.get(id);
                folderFingerprints.put(id, fingerprint); // a refused reload is not retried until the folder changes again
            }
            if (row != null && replace(row, row.source(), null, null)) {
                LOG.info("Protocol package {}: reloaded from {}", id, folder);
            }
        } catch (RuntimeException e) {
            LOG.error("Protocol package {}: reload from {} refused: {}", id, folder, e.getMessage());
        } finally {
            ops.unlock();
        }
    }
}
