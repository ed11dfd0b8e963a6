package io.thingport.core.internal.protocol;

import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.core.internal.protocol.PackageStore.Row;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The packages on probation: for each package updated since the start, its current revision and the previous one,
 * which stays installed (bundle, protocol, stored row and bytes) so that the package can be rolled back to it. The
 * package service changes it under its operations lock; gateways read it on their own threads.
 */
final class Fallbacks {
    private final Map<String, Fallback> byId = new ConcurrentHashMap<>();

    /**
     * A package's current revision and the previous one kept behind it.
     *
     * @param row             the current revision, as stored
     * @param bundleId        the current revision's bundle
     * @param protocol        the current revision's protocol: what the gateways hold
     * @param previousRow     the previous revision, as it was stored
     * @param previousContent the previous revision's bundle bytes (the database holds the current revision's only)
     */
    record Fallback(Row row, long bundleId, ProtocolSupport protocol, Row previousRow, byte[] previousContent, long previousBundleId,
                    ProtocolSupport previousProtocol, AtomicBoolean rollbackClaimed) {
        Fallback(Row row, long bundleId, ProtocolSupport protocol, Row previousRow, byte[] previousContent, long previousBundleId,
                 ProtocolSupport previousProtocol) {
            this(row, bundleId, protocol, previousRow, previousContent, previousBundleId, previousProtocol, new AtomicBoolean());
        }

        String id() {
            return row.id();
        }
    }

    /**
     * Puts a package on probation behind its new revision.
     *
     * @return the fallback it had, whose previous revision is no longer needed, or {@code null}
     */
    Fallback put(Fallback fallback) {
        return byId.put(fallback.id(), fallback);
    }

    /** Ends a package's probation; returns the fallback it had, or {@code null}. */
    Fallback remove(String id) {
        return byId.remove(id);
    }

    /** Whether {@code fallback} is still the package's (no update, delete or rollback replaced it). */
    boolean isCurrent(Fallback fallback) {
        return byId.get(fallback.id()) == fallback;
    }

    /** The previous revision behind {@code current}, when {@code current} is a revision on probation. */
    Optional<ProtocolSupport> previous(ProtocolSupport current) {
        return find(current).map(Fallback::previousProtocol);
    }

    /** The fallback behind {@code current}, for the first caller only: a rollback is claimed once. */
    Optional<Fallback> claimRollback(ProtocolSupport current) {
        return find(current).filter(f -> f.rollbackClaimed().compareAndSet(false, true));
    }

    private Optional<Fallback> find(ProtocolSupport current) {
        // By identity: the registry hands the gateways the very protocol object of the revision's bundle.
        return byId.values().stream().filter(f -> f.protocol() == current).findFirst();
    }
}
