package io.thingport.core.internal.protocol;

import io.thingport.api.protocol.ProtocolSupport;
import java.util.Optional;

/**
 * What a gateway may ask of the protocol packages when a revision fails to decode an uplink with an internal error (not
 * a {@code CodecException}): the revision to decode it again with, and a rollback. After an update the previous
 * revision of the package stays installed as the fallback of the new one until the next update, the package's delete,
 * a rollback or a restart ({@link ProtocolPackageServiceImpl}).
 *
 * <p>Both methods return at once and may be called from any thread (network event loops included), as often as
 * messages fail.
 */
public interface RevisionFallbacks {
    /** No fallback, and nothing to roll back: for gateways without the package service (tests). */
    RevisionFallbacks NONE = new RevisionFallbacks() {
        @Override
        public Optional<ProtocolSupport> previous(ProtocolSupport failing) {
            return Optional.empty();
        }

        @Override
        public void rollBack(ProtocolSupport failing, Throwable error) {
            // nothing is on probation
        }
    };

    /**
     * The revision that served before {@code failing}, while {@code failing} is the current revision of its package and
     * still on probation; empty otherwise (a built-in protocol, a first install, after a restart).
     */
    Optional<ProtocolSupport> previous(ProtocolSupport failing);

    /**
     * {@code failing} threw {@code error} on a message that its {@link #previous} revision decoded: roll the package back
     * to that revision. The rollback runs once, in the background, however often and from however many threads it is
     * asked for; it is skipped when {@code failing} is no longer the current revision by then.
     */
    void rollBack(ProtocolSupport failing, Throwable error);
}
