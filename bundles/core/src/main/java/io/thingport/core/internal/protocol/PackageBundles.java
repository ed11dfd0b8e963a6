package io.thingport.core.internal.protocol;

import io.thingport.api.protocol.ProtocolSupport;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The bundles of protocol package revisions, as the package service needs them: install one beside the others and wait
 * for its protocol, bring a stored one back, discard one. The OSGi implementation is {@link OsgiPackageBundles}; the
 * tests use a fake, so that the update logic runs without a framework.
 *
 * <p>Every method that fails throws a {@code ThingportException} naming the problem and leaves nothing
 * installed. None checks the protocol ({@link ProtocolCheck} is the caller's), and none makes it live (that is the
 * {@link ProtocolRegistryImpl}'s, when the package service says so).
 */
interface PackageBundles {
    /** The bundle location of every package revision starts with this: {@code thingport:protocol/<sha>/<time>}. */
    String LOCATION_PREFIX = "thingport:protocol/";

    /** A started bundle of a package revision and the one protocol it registered (not yet checked). */
    record Revision(long bundleId, String location, ProtocolSupport protocol) {
    }

    /**
     * Installs bundle bytes at a new location, starts the bundle, registers the {@code ProtocolSupport} classes its
     * {@code META-INF/services} names and waits until it has registered exactly one protocol.
     *
     * @param sha256         the package source's SHA-256, which the location shows
     * @param serviceClasses the classes of {@code META-INF/services} to instantiate and register
     */
    Revision install(String sha256, byte[] bundleBytes, List<String> serviceClasses);

    /**
     * Brings back a stored revision after a restart: its bundle from the framework cache or, when the cache lost it,
     * installed again from {@code content}; started, its services registered, its protocol waited for.
     */
    Revision restore(String location, Supplier<byte[]> content);

    /** Unregisters what was registered for the bundle, uninstalls it and lets its class loader go; quiet when gone. */
    void discard(long bundleId);

    /** Uninstalls the package bundles at no location in {@code keep} (left by a crash in the middle of an update). */
    void removeStrays(Set<String> keep);

    /**
     * Runs {@code action} once the framework has started, at once if it has: a bundle started while the framework
     * is still raising its start level stays unstarted until it gets there, without a context to register into.
     */
    void whenStarted(Runnable action);

    /** Unregisters every service registered for package bundles (the bundles stay installed). */
    void close();
}
