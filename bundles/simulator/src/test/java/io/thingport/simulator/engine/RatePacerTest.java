package io.thingport.simulator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RatePacerTest {
    @Test
    void handsOutWhatIsDueAndCatchesUp() {
        // Verifies that the pacer hands out rate x elapsed sends in total, catching up after a late wake-up.
        // GIVEN a pacer at 100 sends per second
        RatePacer pacer = new RatePacer(100);

        // WHEN it is asked at 5 ms, 10 ms, 10 ms again and then late, at 1 s
        long a = pacer.due(5_000_000L);
        long b = pacer.due(10_000_000L);
        long c = pacer.due(10_000_000L);
        long d = pacer.due(1_000_000_000L);

        // THEN nothing is due before the first 10 ms, one then, none twice, and the rest of the second at once
        assertThat(a).isZero();
        assertThat(b).isEqualTo(1);
        assertThat(c).isZero();
        assertThat(d).isEqualTo(99);
        assertThat(pacer.emitted()).isEqualTo(100);
    }

    @Test
    void refusesARateThatIsNotPositive() {
        // Verifies that a pacer needs a positive, finite rate.
        // GIVEN / WHEN / THEN zero, negative, NaN and infinite rates are refused
        for (double rate : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new RatePacer(rate)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate");
        }
    }
}
