package io.thingport.core.internal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.ErrorCode;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.gateway.UplinkDecoder.Decoded;
import io.thingport.core.internal.gateway.UplinkDecoder.Failed;
import io.thingport.core.internal.gateway.UplinkDecoder.Outcome;
import io.thingport.core.internal.gateway.UplinkDecoder.Refused;
import io.thingport.core.internal.protocol.RevisionFallbacks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The gateway's decoding of uplinks across revisions: swaps, a failing revision on probation, refusals. */
class UplinkDecoderTest {
    private final DeviceSession session = TestSessions.session("dev-1", "p1");
    private final Fallbacks fallbacks = new Fallbacks();

    /** A report of {@code "<seq> <temp>"} as protocol demo decodes it. */
    private static List<DeviceMessage> report(EncodedMessage raw, CodecSession session) {
        String[] words = new String(raw.payload(), StandardCharsets.UTF_8).split(" ");
        return List.of(new ReportProperties(MessageHeader.of(words[0], session.productId(), session.deviceId(), 1L),
                Map.of("seq", Long.parseLong(words[0]), "temp", Double.parseDouble(words[1]))));
    }

    private static EncodedMessage raw(long seq) {
        return new EncodedMessage("", (seq + " 20.5").getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** Revision 1.0: decodes every report. */
    private static final ProtocolSupport V1 = new CodecProtocol("1.0", UplinkDecoderTest::report);
    /** Revision 2.0: passed its samples, but a class on the path of long values is missing from its jar. */
    private static final ProtocolSupport V2 = new CodecProtocol("2.0", (raw, s) -> {
        throw new NoClassDefFoundError("com/example/demo/LongValues");
    });

    /** The previous revisions the test says, and every rollback asked for. */
    private static final class Fallbacks implements RevisionFallbacks {
        final Map<ProtocolSupport, ProtocolSupport> previous = new ConcurrentHashMap<>();
        final List<ProtocolSupport> rollbacks = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public Optional<ProtocolSupport> previous(ProtocolSupport failing) {
            return Optional.ofNullable(previous.get(failing));
        }

        @Override
        public void rollBack(ProtocolSupport failing, Throwable error) {
            rollbacks.add(failing);
            errors.add(error);
        }
    }

    @Test
    void everyMessageARevisionOnProbationFailsOnIsDecodedByThePreviousOneAndTheRevisionReported() throws Exception {
        // Verifies the fix for 8,410 reports dropped in 4 s: a revision that throws NoClassDefFoundError on live traffic,
        // with 8 threads decoding at once, loses nothing: the previous revision decodes each message, and each names the
        // failing revision for the (idempotent) rollback.
        // GIVEN revision 2.0 live, on probation with 1.0 behind it
        fallbacks.previous.put(V2, V1);
        UplinkDecoder decoder = new UplinkDecoder(V1, Transport.TCP, fallbacks);
        decoder.swap(V2);
        // WHEN 8 threads decode 1,000 reports each
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<List<Outcome>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(threads.submit(() -> {
                    List<Outcome> outcomes = new ArrayList<>();
                    for (int i = 0; i < 1_000; i++) {
                        outcomes.add(decoder.decode(raw(thread * 1_000L + i), session));
                    }
                    return outcomes;
                }));
            }
            List<Long> seqs = new ArrayList<>();
            for (Future<List<Outcome>> f : results) {
                for (Outcome o : f.get()) {
                    // THEN each is decoded, by revision 1.0, as a fallback
                    assertThat(o).isInstanceOfSatisfying(Decoded.class, d -> {
                        assertThat(d.fellBack()).isTrue();
                        assertThat(d.by().protocol()).isSameAs(V1);
                    });
                    seqs.add((Long) ((ReportProperties) ((Decoded) o).messages().get(0)).properties().get("seq"));
                }
            }
            assertThat(seqs).hasSize(8_000).doesNotHaveDuplicates();
        } finally {
            threads.shutdownNow();
        }
        // AND every rollback request names revision 2.0 and its error; the gateway keeps serving 2.0 until the package rolls back
        assertThat(fallbacks.rollbacks).hasSize(8_000).allMatch(p -> p == V2);
        assertThat(fallbacks.errors).allMatch(e -> e instanceof NoClassDefFoundError);
        assertThat(decoder.live().protocol()).isSameAs(V2);
    }

    @Test
    void aCodecExceptionIsTheCodecsVerdictNoFallbackAndNoRollback() {
        // Verifies that malformed input is refused as before: the previous revision is not asked, nothing is rolled back.
        // GIVEN revision 2.0 on probation, refusing the input
        CodecException malformed = new CodecException(ErrorCode.MALFORMED, "expected a REPORT frame", "m-7");
        ProtocolSupport v2 = new CodecProtocol("2.0", (raw, s) -> {
            throw malformed;
        });
        fallbacks.previous.put(v2, V1);
        UplinkDecoder decoder = new UplinkDecoder(v2, Transport.TCP, fallbacks);
        // WHEN a message comes
        Outcome outcome = decoder.decode(raw(1), session);
        // THEN it is refused with the codec's exception
        assertThat(outcome).isInstanceOfSatisfying(Refused.class, r -> {
            assertThat(r.error()).isSameAs(malformed);
            assertThat(r.by().protocol()).isSameAs(v2);
        });
        assertThat(fallbacks.rollbacks).isEmpty();
    }

    @Test
    void withNoPreviousRevisionAnInternalFailureFailsTheMessage() {
        // Verifies that a fault of the code with nothing to fall back to is a failure (not acknowledged), not a refusal.
        // GIVEN revision 2.0 live with no previous revision (first install, built-in, after a restart)
        UplinkDecoder decoder = new UplinkDecoder(V2, Transport.TCP, fallbacks);
        // WHEN a message comes
        Outcome outcome = decoder.decode(raw(1), session);
        // THEN it failed, naming revision 2.0's error
        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.error()).isInstanceOf(NoClassDefFoundError.class);
            assertThat(f.by().protocol()).isSameAs(V2);
        });
        assertThat(fallbacks.rollbacks).isEmpty();
    }

    @Test
    void aMessageWhoseCodecIsSwappedAwayWhileItDecodesIsDecodedByTheNewRevision() {
        // Verifies the swap window: the bundle of the revision a message started with is uninstalled under it.
        // GIVEN revision 1.0 whose decode finds its class loader gone, because 2.0 replaced it meanwhile
        AtomicReference<UplinkDecoder> decoder = new AtomicReference<>();
        ProtocolSupport v2 = new CodecProtocol("2.0", UplinkDecoderTest::report);
        ProtocolSupport v1 = new CodecProtocol("1.0", (raw, s) -> {
            decoder.get().swap(v2);
            throw new IllegalStateException("zip file closed");
        });
        decoder.set(new UplinkDecoder(v1, Transport.TCP, fallbacks));
        // WHEN a message comes
        Outcome outcome = decoder.get().decode(raw(5), session);
        // THEN revision 2.0 decoded it, and nothing is rolled back
        assertThat(outcome).isInstanceOfSatisfying(Decoded.class, d -> {
            assertThat(d.by().protocol()).isSameAs(v2);
            assertThat(d.fellBack()).isFalse();
            assertThat(d.messages()).hasSize(1);
        });
        assertThat(fallbacks.rollbacks).isEmpty();
    }

    @Test
    void whenThePreviousRevisionFailsTooTheMessageFailsWithTheFaultOfTheRevisionOnProbation() {
        // Verifies that a message neither revision can decode is not acknowledged, and that nothing is rolled back.
        // GIVEN revision 2.0 on probation behind which 1.0 throws as well
        ProtocolSupport v1 = new CodecProtocol("1.0", (raw, s) -> {
            throw new IllegalArgumentException("1.0 cannot either");
        });
        fallbacks.previous.put(V2, v1);
        UplinkDecoder decoder = new UplinkDecoder(V2, Transport.TCP, fallbacks);
        // WHEN a message comes
        Outcome outcome = decoder.decode(raw(1), session);
        // THEN it failed with 2.0's error
        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.error()).isInstanceOf(NoClassDefFoundError.class);
            assertThat(f.by().protocol()).isSameAs(V2);
        });
        assertThat(fallbacks.rollbacks).isEmpty();
    }

    @Test
    void whenThePreviousRevisionRefusesTheInputTheMessageFailsAndNothingRollsBack() {
        // Verifies that a message the live revision faulted on is not acknowledged as refused because the previous
        // revision cannot read it (a data type only the new one knows, say): it fails with the live revision's fault, so
        // the device sends it again, and nothing rolls back.
        // GIVEN revision 2.0 on probation behind which 1.0 refuses the input
        ProtocolSupport v1 = new CodecProtocol("1.0", (raw, s) -> {
            throw new CodecException(ErrorCode.MALFORMED, "not a report");
        });
        fallbacks.previous.put(V2, v1);
        UplinkDecoder decoder = new UplinkDecoder(V2, Transport.TCP, fallbacks);
        // WHEN a message comes
        Outcome outcome = decoder.decode(raw(1), session);
        // THEN it fails with 2.0's fault
        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.error()).isInstanceOf(NoClassDefFoundError.class);
            assertThat(f.by().protocol()).isSameAs(V2);
        });
        assertThat(fallbacks.rollbacks).isEmpty();
    }
}
