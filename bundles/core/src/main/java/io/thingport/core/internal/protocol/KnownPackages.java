package io.thingport.core.internal.protocol;

import static io.thingport.api.protocol.ProtocolPackageService.TYPE_LOCAL;

import io.thingport.core.internal.protocol.PackageStore.Row;
import io.thingport.core.internal.protocol.ProtocolRegistryImpl.Tracked;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The stored packages as this node holds them in memory, with why each one is not running, kept in step with what the
 * {@link ProtocolRegistryImpl} serves: a package goes live, or is released, under the same lock that changes its row,
 * so that {@code iot:protocol-info} never sees a row of one revision with the protocol of another. The package service
 * and the restore at start ({@link PackageRestore}) change it; the SQL is {@link PackageStore}'s.
 *
 * <p>The lock is never held while bundles start or stop (their services call back into the registry).
 */
final class KnownPackages {
    private final ProtocolRegistryImpl registry;
    private final Object lock = new Object();
    private final Map<String, Row> packages = new TreeMap<>();
    /** Package id → why it is not running, or what its last refused update or reload said. */
    private final Map<String, String> problems = new HashMap<>();

    /** What is known of one protocol id at one moment. */
    record Seen(Row row, Tracked service, String problem) {
    }

    KnownPackages(ProtocolRegistryImpl registry) {
        this.registry = registry;
    }

    /** The packages read from the database at start: known, not yet running ({@link PackageInfos#STARTING}). */
    void starting(List<Row> rows) {
        synchronized (lock) {
            rows.forEach(r -> {
                packages.put(r.id(), r);
                problems.put(r.id(), PackageInfos.STARTING);
            });
        }
    }

    Optional<Row> get(String id) {
        synchronized (lock) {
            return Optional.ofNullable(packages.get(id));
        }
    }

    /** Every known package, by id. */
    List<Row> rows() {
        synchronized (lock) {
            return List.copyOf(packages.values());
        }
    }

    /** The ids of the known packages and of the live built-ins. */
    List<String> ids() {
        List<String> ids = new ArrayList<>();
        synchronized (lock) {
            ids.addAll(packages.keySet());
            registry.live().keySet().stream().filter(id -> !packages.containsKey(id)).forEach(ids::add);
        }
        return ids;
    }

    /** The package's row, the service live for the id and the package's problem ({@code ""} when none), read together. */
    Seen seen(String id) {
        synchronized (lock) {
            return new Seen(packages.get(id), registry.liveService(id).orElse(null), problems.getOrDefault(id, ""));
        }
    }

    /** The package installed from {@code source}, if any. */
    Optional<String> idFrom(String source) {
        synchronized (lock) {
            return packages.values().stream().filter(r -> r.source().equals(source)).map(Row::id).findFirst();
        }
    }

    /** The local packages: id → folder. */
    Map<String, String> localFolders() {
        Map<String, String> out = new LinkedHashMap<>();
        synchronized (lock) {
            packages.values().stream().filter(r -> r.type().equals(TYPE_LOCAL)).forEach(r -> out.put(r.id(), r.source()));
        }
        return out;
    }

    /** A new row for a package whose code does not change (its name or description does). */
    void put(Row row) {
        synchronized (lock) {
            packages.put(row.id(), row);
        }
    }

    /**
     * Makes the protocol of a bundle live for the package and clears its problem (the gateways swap codecs here).
     *
     * @param row what the package is now
     * @return the bundle id of the revision that served before, or {@code null}
     */
    Long serve(Row row, long bundleId) {
        return serve(row, bundleId, "");
    }

    /**
     * {@link #serve(Row, long)}, noting {@code problem} on the package in the same step (a rollback says why).
     *
     * @param problem what {@code iot:protocol-info} shows, or {@code ""}
     */
    Long serve(Row row, long bundleId, String problem) {
        synchronized (lock) {
            packages.put(row.id(), row);
            if (problem.isEmpty()) {
                problems.remove(row.id());
            } else {
                problems.put(row.id(), problem);
            }
            return registry.serve(row.id(), bundleId);
        }
    }

    /** Notes why the package is not running, or what its last refused update said. */
    void problem(String id, String problem) {
        synchronized (lock) {
            problems.put(id, problem);
        }
    }

    /**
     * Forgets a deleted package: its protocol is no longer live.
     *
     * @return the bundle id of the revision that served, or {@code null}
     */
    Long remove(String id) {
        synchronized (lock) {
            packages.remove(id);
            problems.remove(id);
            return registry.release(id);
        }
    }
}
