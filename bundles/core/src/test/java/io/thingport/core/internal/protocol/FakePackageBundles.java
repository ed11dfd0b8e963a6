package io.thingport.core.internal.protocol;

import io.thingport.api.ThingportException;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.core.internal.protocol.ProtocolRegistryImpl.Tracked;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Package bundles without a framework: "installing" bytes asks {@link #onInstall} which protocol the bundle registers
 * (none when it answers {@code null}; a thrown exception is an install that fails), and the protocol is tracked by the
 * real {@link ProtocolRegistryImpl}, whose wait for it is the real one (shortened).
 */
final class FakePackageBundles implements PackageBundles {
    static final long WAIT_MS = 300;

    private final ProtocolRegistryImpl registry;
    private final AtomicLong nextId = new AtomicLong(100);
    /** Bundle id → location of the bundles installed now. */
    final Map<Long, String> installed = new ConcurrentHashMap<>();
    final List<Long> discarded = new CopyOnWriteArrayList<>();
    final AtomicInteger installs = new AtomicInteger();
    volatile Function<byte[], ProtocolSupport> onInstall = bytes -> {
        throw new IllegalStateException("the test did not say what the bundle registers");
    };

    FakePackageBundles(ProtocolRegistryImpl registry) {
        this.registry = registry;
    }

    @Override
    public Revision install(String sha256, byte[] bundleBytes, List<String> serviceClasses) {
        installs.incrementAndGet();
        return start(LOCATION_PREFIX + sha256.substring(0, 16) + "/" + installs.get(), onInstall.apply(bundleBytes));
    }

    /** A bundle still installed at the location is used again (it registered its protocol); else the content is installed. */
    @Override
    public void whenStarted(Runnable action) {
        action.run();
    }

    @Override
    public Revision restore(String location, Supplier<byte[]> content) {
        Long cached = installed.entrySet().stream().filter(e -> e.getValue().equals(location)).map(Map.Entry::getKey).findFirst()
                .orElse(null);
        if (cached != null) {
            return new Revision(cached, location, registry.awaitProtocol(cached, WAIT_MS, () -> "active"));
        }
        return start(location, onInstall.apply(content.get()));
    }

    private Revision start(String location, ProtocolSupport protocol) {
        long id = nextId.incrementAndGet();
        installed.put(id, location);
        if (protocol != null) {
            registry.track(id, new Tracked(protocol, protocol.id(), id, location, "test.package", 0, id));
        }
        try {
            return new Revision(id, location, registry.awaitProtocol(id, WAIT_MS, () -> "active"));
        } catch (ThingportException e) {
            discard(id);
            throw e;
        }
    }

    @Override
    public void discard(long bundleId) {
        String location = installed.remove(bundleId);
        if (location != null) {
            registry.untrack(bundleId);
            discarded.add(bundleId);
        }
    }

    @Override
    public void removeStrays(Set<String> keep) {
        installed.forEach((id, location) -> {
            if (!keep.contains(location)) {
                discard(id);
            }
        });
    }

    @Override
    public void close() {
        // nothing registered here
    }
}
