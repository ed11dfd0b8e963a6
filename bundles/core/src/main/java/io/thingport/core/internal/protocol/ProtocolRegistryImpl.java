package io.thingport.core.internal.protocol;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.protocol.ProtocolRegistry;
import io.thingport.api.protocol.ProtocolSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live protocols: of all the {@link ProtocolSupport} services in the framework, the one that serves each protocol
 * id now, published to every {@link ProtocolListener}.
 *
 * <p>A built-in protocol (a feature bundle's service) is live unless a stored package claims its id; among several
 * built-ins of one id the highest-ranked service wins. A package's protocol is live only when it comes from the bundle
 * of the package's current revision, which the package service names ({@link #serve}); the bundles of other revisions
 * (one being checked beside the live one, one about to be uninstalled) are tracked but never live. A listener gets the
 * live protocols when it is bound and then after every change, in order and one call at a time.
 *
 * <p>Immediate: the listeners (the network manager's gateways) depend on it whether or not anyone asks for the
 * {@link ProtocolRegistry} service.
 */
@Component(service = {ProtocolRegistryImpl.class, ProtocolRegistry.class}, immediate = true)
public final class ProtocolRegistryImpl implements ProtocolRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolRegistryImpl.class);

    /** Guards the state below; listeners are called with it held, so they must not call back into the package service. */
    private final Object lock = new Object();
    /** Every tracked protocol service (its key: the service reference, or what a test uses), in the order it came. */
    private final Map<Object, Tracked> services = new LinkedHashMap<>();
    /** The ids of the stored packages: a built-in of such an id is not live, even when the package cannot start. */
    private final Set<String> claimed = new HashSet<>();
    /** Package id → bundle id of its live revision. */
    private final Map<String, Long> current = new HashMap<>();
    private final List<ProtocolListener> listeners = new ArrayList<>();
    private Map<String, ProtocolSupport> live = Map.of();

    /**
     * A tracked protocol service and what was known of it when it came.
     *
     * @param ranking   its service ranking, and {@code serviceId} its service id: which built-in wins, as
     *                  {@link ServiceReference#compareTo} orders them
     */
    record Tracked(ProtocolSupport protocol, String id, long bundleId, String location, String bundleName, int ranking,
                   long serviceId) {
        boolean isPackage() {
            return location.startsWith(PackageBundles.LOCATION_PREFIX);
        }

        /** Whether this service wins over {@code other} (a higher ranking, or the same ranking and an older service). */
        boolean outranks(Tracked other) {
            return ranking != other.ranking ? ranking > other.ranking : serviceId < other.serviceId;
        }
    }

    // ------------------------------------------------------------------ what DS binds

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
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        Object serviceId = ref.getProperty(Constants.SERVICE_ID);
        track(ref, new Tracked(protocol, id, b.getBundleId(), b.getLocation(), b.getSymbolicName(),
                ranking instanceof Integer r ? r : 0, serviceId instanceof Long s ? s : Long.MAX_VALUE));
    }

    void removeProtocol(ServiceReference<ProtocolSupport> ref, ProtocolSupport protocol) {
        untrack(ref);
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

    /** A protocol service came (what {@link #addProtocol} does once it has read the service reference). */
    void track(Object key, Tracked tracked) {
        synchronized (lock) {
            services.put(key, tracked);
            publish();
            lock.notifyAll();
        }
    }

    void untrack(Object key) {
        synchronized (lock) {
            if (services.remove(key) != null) {
                publish();
            }
        }
    }

    // ------------------------------------------------------------------ ProtocolRegistry

    @Override
    public List<ProtocolSupport> protocols() {
        synchronized (lock) {
            return new ArrayList<>(new TreeMap<>(live).values());
        }
    }

    @Override
    public Optional<ProtocolSupport> find(String id) {
        synchronized (lock) {
            return Optional.ofNullable(live.get(id));
        }
    }

    /** The live protocols by id. */
    Map<String, ProtocolSupport> live() {
        synchronized (lock) {
            return live;
        }
    }

    // ------------------------------------------------------------------ what the package service says

    /** Stored packages own these ids: built-ins of the same ids are no longer live. */
    void claim(Set<String> ids) {
        synchronized (lock) {
            claimed.addAll(ids);
            publish();
        }
    }

    /**
     * Makes the protocol of a bundle the live one for a package id (the gateways swap codecs here).
     *
     * @return the bundle id of the revision that served before, or {@code null}
     */
    Long serve(String id, long bundleId) {
        synchronized (lock) {
            claimed.add(id);
            Long previous = current.put(id, bundleId);
            publish();
            return previous;
        }
    }

    /**
     * Forgets a deleted package: its protocol is no longer live (a built-in of the same id may be again).
     *
     * @return the bundle id of the revision that served, or {@code null}
     */
    Long release(String id) {
        synchronized (lock) {
            claimed.remove(id);
            Long previous = current.remove(id);
            publish();
            return previous;
        }
    }

    /** Whether a revision of the package serves (its bundle was made live and has not been released). */
    boolean serves(String id) {
        synchronized (lock) {
            return current.containsKey(id);
        }
    }

    /** The protocol service of the package's current revision (the bundle last made live by {@link #serve}), if tracked. */
    Optional<Tracked> currentRevision(String id) {
        synchronized (lock) {
            Long bundle = current.get(id);
            return bundle == null ? Optional.empty()
                    : services.values().stream().filter(t -> t.isPackage() && t.bundleId() == bundle && t.id().equals(id)).findFirst();
        }
    }

    /** The symbolic name of a built-in bundle that registers a protocol of this id, live or not. */
    Optional<String> builtinBundle(String id) {
        synchronized (lock) {
            return services.values().stream().filter(t -> t.id().equals(id) && !t.isPackage()).map(Tracked::bundleName).findFirst();
        }
    }

    /** The service whose protocol is live for this id, if one is. */
    Optional<Tracked> liveService(String id) {
        synchronized (lock) {
            ProtocolSupport protocol = live.get(id);
            return protocol == null ? Optional.empty() : services.values().stream().filter(t -> t.protocol() == protocol).findFirst();
        }
    }

    /**
     * Waits until a bundle has registered its protocol.
     *
     * @param state what the bundle's state is, for the message when none comes
     * @throws ThingportException when the bundle registers none within the time, or more than one
     */
    ProtocolSupport awaitProtocol(long bundleId, long timeoutMs, Supplier<String> state) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (lock) {
            while (true) {
                List<Tracked> mine = services.values().stream().filter(t -> t.bundleId() == bundleId).toList();
                if (mine.size() > 1) {
                    throw ThingportException.invalidArgument("the package registers " + mine.size() + " protocols ("
                            + mine.stream().map(Tracked::id).toList() + "); a package provides exactly one");
                }
                long left = deadline - System.currentTimeMillis();
                if (mine.size() == 1) {
                    return mine.get(0).protocol();
                }
                if (left <= 0) {
                    throw ThingportException.invalidArgument("the package registered no " + ProtocolSupport.class.getName()
                            + " within " + timeoutMs / 1000 + " s (bundle state " + state.get() + ")");
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

    /** Works out which protocol serves each id and tells the listeners when that changed (with {@link #lock} held). */
    private void publish() {
        Map<String, ProtocolSupport> next = new TreeMap<>();
        Map<String, Tracked> best = new HashMap<>();
        services.values().forEach(t -> {
            if (!t.isPackage() && !claimed.contains(t.id())) {
                Tracked other = best.get(t.id());
                if (other == null || t.outranks(other)) {
                    best.put(t.id(), t);
                    next.put(t.id(), t.protocol());
                }
            }
        });
        services.values().forEach(t -> {
            Long bundle = current.get(t.id());
            if (bundle != null && bundle == t.bundleId() && t.isPackage()) {
                next.put(t.id(), t.protocol());
            }
        });
        if (!next.equals(live)) {
            live = Map.copyOf(next);
            listeners.forEach(l -> l.protocolsChanged(live));
        }
    }
}
