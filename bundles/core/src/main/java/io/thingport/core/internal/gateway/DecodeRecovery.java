package io.thingport.core.internal.gateway;

import io.thingport.api.protocol.CodecException;

/**
 * What a gateway does after a codec failed to decode an uplink, as a pure function of what failed and what is there to
 * try next.
 *
 * <p>A {@link CodecException} from the live revision is the codec's verdict on the input: the message is refused (logged,
 * answered and, as handled, acknowledged); from the previous revision, tried because the live one faulted, it is not
 * (the message fails). Anything else (a {@code RuntimeException}, a {@code LinkageError} such as
 * {@code NoClassDefFoundError}) is a fault of the code, not of the message, and the message is never acknowledged as
 * if it had been dealt with. It is decoded again:
 * <ol>
 * <li>with the live revision, when the revision it started with was swapped away meanwhile (whose bundle may be
 * gone: a {@code LinkageError} or {@code IllegalStateException} from a closed class loader);</li>
 * <li>with the previous revision of the package, while the failing one is on probation; when that decodes it, the
 * failing revision is rolled back ({@link #rollsBack});</li>
 * <li>otherwise not at all: it fails, the transport does not acknowledge it and the device sends it again.</li>
 * </ol>
 * At most three attempts: the first, one with the live revision, one with the previous revision.
 */
final class DecodeRecovery {
    private DecodeRecovery() {
    }

    /** Which codec an attempt used. */
    enum Attempt {
        /** The live revision's when the message came. */
        FIRST,
        /** The live revision's after a swap, the first one having failed. */
        LIVE,
        /** The previous revision's, behind a failing revision on probation. */
        PREVIOUS
    }

    /** What comes after a failed attempt. */
    enum Step {
        /** The codec refused the input: refuse the message. */
        REFUSE,
        /** Decode again with the revision live now. */
        RETRY_LIVE,
        /** Decode again with the previous revision of the one that failed. */
        RETRY_PREVIOUS,
        /** No codec is left to try: the message is not acknowledged, the device sends it again. */
        FAIL
    }

    /**
     * @param failed      the attempt that failed
     * @param error       what it threw
     * @param liveSwapped whether the live revision is no longer the one that failed (a swap or a rollback came meanwhile)
     * @param hasPrevious whether the revision that failed is on probation, with its previous revision behind it
     */
    static Step afterFailure(Attempt failed, Throwable error, boolean liveSwapped, boolean hasPrevious) {
        if (failed == Attempt.PREVIOUS) {
            // The live revision faulted on this message; that the previous one cannot read it (a data type it does not
            // know, say) does not make the message malformed: it is not acknowledged, the device sends it again.
            return Step.FAIL;
        }
        if (error instanceof CodecException) {
            return Step.REFUSE;
        }
        return switch (failed) {
            case FIRST -> liveSwapped ? Step.RETRY_LIVE : hasPrevious ? Step.RETRY_PREVIOUS : Step.FAIL;
            case LIVE -> hasPrevious ? Step.RETRY_PREVIOUS : Step.FAIL;
            case PREVIOUS -> Step.FAIL;
        };
    }

    /**
     * Whether decoding with {@code succeeded} shows that the revision tried before it is at fault: the previous revision
     * decoded what the current one failed on, so the current one is rolled back.
     */
    static boolean rollsBack(Attempt succeeded) {
        return succeeded == Attempt.PREVIOUS;
    }
}
