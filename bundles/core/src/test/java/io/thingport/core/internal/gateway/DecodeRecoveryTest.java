package io.thingport.core.internal.gateway;

import static io.thingport.core.internal.gateway.DecodeRecovery.afterFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.ErrorCode;
import io.thingport.api.protocol.CodecException;
import io.thingport.core.internal.gateway.DecodeRecovery.Attempt;
import io.thingport.core.internal.gateway.DecodeRecovery.Step;
import org.junit.jupiter.api.Test;

class DecodeRecoveryTest {
    private static final CodecException MALFORMED = new CodecException(ErrorCode.MALFORMED, "expected a REPORT");
    private static final NoClassDefFoundError MISSING_CLASS = new NoClassDefFoundError("com/acme/Int64Values");

    @Test
    void aCodecsVerdictOnTheInputIsARefusalWhicheverCodecGaveIt() {
        // Verifies that a live revision's CodecException is never retried and never a rollback: the input is malformed.
        for (Attempt attempt : new Attempt[] {Attempt.FIRST, Attempt.LIVE}) {
            assertThat(afterFailure(attempt, MALFORMED, true, true)).as(attempt.name()).isEqualTo(Step.REFUSE);
            assertThat(afterFailure(attempt, MALFORMED, false, false)).as(attempt.name()).isEqualTo(Step.REFUSE);
        }
    }

    @Test
    void thePreviousRevisionRefusingAMessageTheLiveOneFaultedOnFailsIt() {
        // Verifies that a message the live revision faulted on is not acknowledged as refused because the previous
        // revision, tried behind it, cannot read it (e.g. a data type only the new revision knows): the device resends.
        assertThat(afterFailure(Attempt.PREVIOUS, MALFORMED, false, true)).isEqualTo(Step.FAIL);
    }

    @Test
    void aRevisionSwappedAwayMidMessageHandsItToTheLiveOne() {
        // Verifies the swap window: the code a message started with was swapped away (its class loader may be gone).
        assertThat(afterFailure(Attempt.FIRST, new IllegalStateException("bundle uninstalled"), true, false)).isEqualTo(Step.RETRY_LIVE);
        assertThat(afterFailure(Attempt.FIRST, MISSING_CLASS, true, true)).isEqualTo(Step.RETRY_LIVE);
    }

    @Test
    void aRevisionOnProbationThatFailsHandsTheMessageToThePreviousOne() {
        // Verifies that an internal failure of a revision with a previous one behind it is decoded again by that one.
        assertThat(afterFailure(Attempt.FIRST, MISSING_CLASS, false, true)).isEqualTo(Step.RETRY_PREVIOUS);
        assertThat(afterFailure(Attempt.FIRST, new NullPointerException(), false, true)).isEqualTo(Step.RETRY_PREVIOUS);
        assertThat(afterFailure(Attempt.LIVE, MISSING_CLASS, false, true)).isEqualTo(Step.RETRY_PREVIOUS);
        assertThat(afterFailure(Attempt.LIVE, MISSING_CLASS, true, true)).isEqualTo(Step.RETRY_PREVIOUS);
    }

    @Test
    void withNothingLeftToTryTheMessageFailsAndIsNotAcknowledged() {
        // Verifies that an internal failure with no other codec to try fails (the transport does not acknowledge it).
        assertThat(afterFailure(Attempt.FIRST, MISSING_CLASS, false, false)).isEqualTo(Step.FAIL);
        assertThat(afterFailure(Attempt.LIVE, MISSING_CLASS, true, false)).isEqualTo(Step.FAIL);
        assertThat(afterFailure(Attempt.PREVIOUS, new IllegalStateException("also broken"), true, true)).isEqualTo(Step.FAIL);
    }

    @Test
    void onlyADecodeByThePreviousRevisionRollsBack() {
        // Verifies that the previous revision decoding what the current one failed on is what proves the current one faulty.
        assertThat(DecodeRecovery.rollsBack(Attempt.PREVIOUS)).isTrue();
        assertThat(DecodeRecovery.rollsBack(Attempt.FIRST)).isFalse();
        assertThat(DecodeRecovery.rollsBack(Attempt.LIVE)).isFalse();
    }
}
