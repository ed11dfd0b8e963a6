package io.thingport.core.internal.gateway;

import io.thingport.api.message.DeviceMessage;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.gateway.DecodeRecovery.Attempt;
import io.thingport.core.internal.gateway.DecodeRecovery.Step;
import io.thingport.core.internal.protocol.RevisionFallbacks;
import java.util.List;

/**
 * A gateway's protocol revision and codec, swapped as one, and the decoding of its uplinks with them: when a revision
 * fails with an internal error the message is decoded again as {@link DecodeRecovery} decides, and a revision that
 * the previous one proves at fault is reported for rollback ({@link RevisionFallbacks}). Thread-safe; decoding runs on
 * the caller's thread (a network event loop) and never blocks.
 */
final class UplinkDecoder {
    private final Transport transport;
    private final RevisionFallbacks fallbacks;
    /** The protocol revision serving new messages and its codec for the transport. */
    private volatile Binding live;

    /** A protocol revision and its codec for the gateway's transport. */
    record Binding(ProtocolSupport protocol, DeviceCodec codec) {
    }

    /** What became of an uplink. */
    sealed interface Outcome permits Decoded, Refused, Failed {
    }

    /** Decoded by {@code by}; {@code fellBack} when that is the previous revision of one that failed on it. */
    record Decoded(List<DeviceMessage> messages, Binding by, boolean fellBack) implements Outcome {
    }

    /** The codec of {@code by} refused the input: a malformed or forbidden message. */
    record Refused(CodecException error, Binding by) implements Outcome {
    }

    /** No revision could decode it, for a fault of the code ({@code by} threw {@code error}): not to be acknowledged. */
    record Failed(Throwable error, Binding by) implements Outcome {
    }

    /** @throws RuntimeException when the protocol cannot make a codec for the transport */
    UplinkDecoder(ProtocolSupport protocol, Transport transport, RevisionFallbacks fallbacks) {
        this.transport = transport;
        this.fallbacks = fallbacks;
        this.live = bind(protocol);
    }

    Binding live() {
        return live;
    }

    /**
     * New messages use another revision of the protocol; one being decoded finishes with the revision it started with,
     * or, if that one fails because it was swapped away, with the new one.
     *
     * @throws RuntimeException when the revision cannot make a codec for the transport (nothing changes then)
     */
    void swap(ProtocolSupport protocol) {
        this.live = bind(protocol);
    }

    Outcome decode(EncodedMessage raw, CodecSession session) {
        Binding binding = live;
        Attempt attempt = Attempt.FIRST;
        Binding faulty = null;
        Throwable fault = null;
        while (true) {
            try {
                List<DeviceMessage> messages = binding.codec().decode(raw, session);
                boolean fellBack = DecodeRecovery.rollsBack(attempt);
                if (fellBack) {
                    fallbacks.rollBack(faulty.protocol(), fault);
                }
                return new Decoded(messages, binding, fellBack);
            } catch (RuntimeException | LinkageError e) {
                Binding now = live;
                ProtocolSupport previous = e instanceof CodecException ? null : fallbacks.previous(binding.protocol()).orElse(null);
                Step step = DecodeRecovery.afterFailure(attempt, e, now != binding, previous != null);
                switch (step) {
                    case REFUSE:
                        return new Refused((CodecException) e, binding);
                    case RETRY_LIVE:
                        binding = now;
                        attempt = Attempt.LIVE;
                        break;
                    case RETRY_PREVIOUS:
                        faulty = binding;
                        fault = e;
                        try {
                            binding = bind(previous);
                        } catch (RuntimeException | LinkageError previousFailed) {
                            return new Failed(e, faulty);
                        }
                        attempt = Attempt.PREVIOUS;
                        break;
                    default:
                        // The previous revision failed too: the fault shown is the one of the revision on probation.
                        return attempt == Attempt.PREVIOUS ? new Failed(fault, faulty) : new Failed(e, binding);
                }
            }
        }
    }

    private Binding bind(ProtocolSupport protocol) {
        return new Binding(protocol, protocol.codec(transport));
    }
}
