package io.thingport.core.internal.protocol;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.protocol.ProtocolSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Package revisions as OSGi bundles. Each revision is its own bundle, at location
 * {@code thingport:protocol/<sha>/<time>}, so that a new one can run and be checked beside the live one.
 *
 * <p>Jars that name their {@code ProtocolSupport} in {@code META-INF/services} are instantiated and registered here,
 * in the package bundle's context; bundles with Declarative Services register theirs themselves. Either way the
 * {@link ProtocolRegistryImpl} tracks the service, and this class waits there for it.
 */
final class OsgiPackageBundles implements PackageBundles {
    private static final Logger LOG = LoggerFactory.getLogger(OsgiPackageBundles.class);
    static final long SERVICE_WAIT_MS = 15_000;

    private final BundleContext context;
    private final ProtocolRegistryImpl registry;
    /** Bundle id → the services registered here for it (guarded by itself). */
    private final Map<Long, List<ServiceRegistration<ProtocolSupport>>> registrations = new HashMap<>();

    OsgiPackageBundles(BundleContext context, ProtocolRegistryImpl registry) {
        this.context = context;
        this.registry = registry;
    }

    @Override
    public Revision install(String sha256, byte[] bundleBytes, List<String> serviceClasses) {
        String location = LOCATION_PREFIX + sha256.substring(0, 16) + "/" + System.currentTimeMillis() + "-" + System.nanoTime();
        Bundle bundle;
        try {
            bundle = context.installBundle(location, new ByteArrayInputStream(bundleBytes));
        } catch (BundleException | RuntimeException e) {
            throw ThingportException.invalidArgument("the package cannot be installed as a bundle: " + e.getMessage());
        }
        try {
            try {
                start(bundle);
            } catch (BundleException e) {
                throw ThingportException.invalidArgument("the package cannot start: " + e.getMessage());
            }
            registerServices(bundle, serviceClasses);
            return new Revision(bundle.getBundleId(), location, awaitProtocol(bundle));
        } catch (RuntimeException | LinkageError e) {
            discard(bundle);
            if (e instanceof ThingportException te) {
                throw te;
            }
            throw ThingportException.invalidArgument("the package fails: " + e);
        }
    }

    @Override
    public Revision restore(String location, Supplier<byte[]> content) {
        Bundle bundle = null;
        try {
            bundle = context.getBundle(location);
            if (bundle == null) {
                bundle = context.installBundle(location, new ByteArrayInputStream(content.get()));
            }
            start(bundle);
            registerServices(bundle, serviceClasses(bundle));
            return new Revision(bundle.getBundleId(), location, awaitProtocol(bundle));
        } catch (BundleException e) {
            discard(bundle);
            throw new ThingportException(ErrorCode.INTERNAL, e.toString(), e);
        } catch (RuntimeException | LinkageError e) {
            discard(bundle);
            throw e;
        }
    }

    @Override
    public void discard(long bundleId) {
        discard(context.getBundle(bundleId));
    }

    @Override
    public void removeStrays(Set<String> keep) {
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(LOCATION_PREFIX) && !keep.contains(b.getLocation())) {
                LOG.info("Removing protocol bundle {} that no package uses", b.getLocation());
                discard(b);
            }
        }
    }

    @Override
    public void whenStarted(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable once = () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
        FrameworkListener listener = new FrameworkListener() {
            @Override
            public void frameworkEvent(FrameworkEvent event) {
                if (event.getType() == FrameworkEvent.STARTED) {
                    removeQuietly(this);
                    once.run();
                }
            }
        };
        context.addFrameworkListener(listener);
        if (frameworkStarted()) {
            removeQuietly(listener);
            once.run();
        }
    }

    /**
     * Whether the framework has reached its beginning start level. The system bundle is ACTIVE before that (Felix
     * raises the start level on its own thread afterwards), and while the start level rises the framework itself
     * starts the persistently started package bundles: a start of ours at the same time finds them mid-way.
     */
    private boolean frameworkStarted() {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        if (system.getState() != Bundle.ACTIVE) {
            return false;
        }
        String beginning = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        int target = 1;
        try {
            target = beginning == null ? 1 : Integer.parseInt(beginning.trim());
        } catch (NumberFormatException e) {
            LOG.debug("{} = {} is not a number: taking 1", Constants.FRAMEWORK_BEGINNING_STARTLEVEL, beginning);
        }
        return system.adapt(FrameworkStartLevel.class).getStartLevel() >= target;
    }

    private void removeQuietly(FrameworkListener listener) {
        try {
            context.removeFrameworkListener(listener);
        } catch (IllegalStateException e) {
            LOG.debug("The platform bundle stopped meanwhile: {}", e.toString());
        }
    }

    @Override
    public void close() {
        List<ServiceRegistration<ProtocolSupport>> all = new ArrayList<>();
        synchronized (registrations) {
            registrations.values().forEach(all::addAll);
            registrations.clear();
        }
        all.forEach(OsgiPackageBundles::unregisterQuietly);
    }

    /**
     * Starts a bundle and waits until it has a context to register services in. While the framework raises its start
     * level (a restore right after a restart), {@code start()} only marks a bundle whose level is not reached yet, and
     * the framework's start-level thread starts it a moment later.
     */
    private void start(Bundle bundle) throws BundleException {
        CountDownLatch started = new CountDownLatch(1);
        BundleListener listener = event -> {
            int type = event.getType();
            if (event.getBundle().equals(bundle)
                    && (type == BundleEvent.STARTED || type == BundleEvent.LAZY_ACTIVATION || type == BundleEvent.UNINSTALLED)) {
                started.countDown();
            }
        };
        context.addBundleListener(listener); // before start(): no event can slip between the check and the wait
        try {
            bundle.start();
            // A context once STARTING (lazy activation) or ACTIVE; a bundle event wakes the wait.
            if (bundle.getBundleContext() == null) {
                started.await(SERVICE_WAIT_MS, TimeUnit.MILLISECONDS);
            }
            if (bundle.getBundleContext() == null) {
                throw new BundleException("the bundle is " + state(bundle) + ", not active, " + SERVICE_WAIT_MS / 1000
                        + " s after it was started");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleException("interrupted while the bundle started");
        } finally {
            context.removeBundleListener(listener);
        }
    }

    private ProtocolSupport awaitProtocol(Bundle bundle) {
        return registry.awaitProtocol(bundle.getBundleId(), SERVICE_WAIT_MS, () -> state(bundle));
    }

    private void registerServices(Bundle bundle, List<String> classes) {
        List<ServiceRegistration<ProtocolSupport>> regs = new ArrayList<>();
        try {
            for (String name : classes) {
                Object instance;
                try {
                    instance = bundle.loadClass(name).getConstructor().newInstance();
                } catch (ClassNotFoundException e) {
                    throw ThingportException.invalidArgument(PackageJars.SERVICES_ENTRY + " names " + name
                            + ", which the jar does not hold");
                } catch (NoSuchMethodException e) {
                    throw ThingportException.invalidArgument(name + " has no public no-argument constructor");
                } catch (InvocationTargetException e) {
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
            regs.forEach(OsgiPackageBundles::unregisterQuietly);
            throw e;
        }
        synchronized (registrations) {
            registrations.put(bundle.getBundleId(), regs);
        }
    }

    /** The classes a bundle names in META-INF/services for ProtocolSupport. */
    private static List<String> serviceClasses(Bundle bundle) {
        URL entry = bundle.getEntry(PackageJars.SERVICES_ENTRY);
        if (entry == null) {
            return List.of();
        }
        try (InputStream in = entry.openStream()) {
            return PackageJars.serviceLines(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ThingportException.invalidArgument("cannot read " + PackageJars.SERVICES_ENTRY + ": " + e.getMessage());
        }
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.INSTALLED -> "installed";
            case Bundle.STARTING -> "starting";
            case Bundle.UNINSTALLED -> "uninstalled";
            default -> String.valueOf(b.getState());
        };
    }

    /** Unregisters what was registered here for the bundle, uninstalls it and lets its class loader go. */
    private void discard(Bundle bundle) {
        if (bundle == null) {
            return;
        }
        List<ServiceRegistration<ProtocolSupport>> regs;
        synchronized (registrations) {
            regs = registrations.remove(bundle.getBundleId());
        }
        if (regs != null) {
            regs.forEach(OsgiPackageBundles::unregisterQuietly);
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
}
