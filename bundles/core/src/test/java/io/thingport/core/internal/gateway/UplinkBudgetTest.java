package io.thingport.core.internal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The platform-wide bound on uplinks in flight (issue 11.8). */
class UplinkBudgetTest {

    @Test
    void refusesBeyondTheCountAndTheBytesAndTakesAgainOnceGivenBack() {
        // Verifies both bounds, that a refusal takes nothing, and that giving back makes room again.
        UplinkBudget budget = new UplinkBudget(() -> 3, () -> 1000);
        assertThat(budget.tryTake(400)).isTrue();
        assertThat(budget.tryTake(400)).isTrue();
        assertThat(budget.tryTake(400)).as("1,200 bytes > 1,000").isFalse();
        assertThat(budget.tryTake(100)).isTrue();
        assertThat(budget.tryTake(1)).as("a fourth uplink").isFalse();
        assertThat(budget.inflight()).isEqualTo(3);
        assertThat(budget.inflightBytes()).isEqualTo(900);
        assertThat(budget.refused()).isEqualTo(2);
        budget.give(400);
        assertThat(budget.tryTake(500)).isTrue();
        assertThat(budget.describe()).contains("uplinks.maxInflight = 3").contains("uplinks.maxInflightBytes = 1000");
    }

    @Test
    void oneUplinkLargerThanTheByteBoundPassesWhenNothingElseIsInFlight() {
        // Verifies that a byte bound below the transports' message length cannot block a device for good.
        UplinkBudget budget = new UplinkBudget(() -> 10, () -> 100);
        assertThat(budget.tryTake(500)).isTrue();
        assertThat(budget.tryTake(1)).isFalse();
        budget.give(500);
        assertThat(budget.tryTake(1)).isTrue();
    }

    @Test
    void aChangedBoundAppliesAtTheNextTake() {
        // Verifies that the bounds are read at each take (the configuration can change while the platform runs).
        AtomicInteger max = new AtomicInteger(1);
        UplinkBudget budget = new UplinkBudget(max::get, () -> Long.MAX_VALUE);
        assertThat(budget.tryTake(1)).isTrue();
        assertThat(budget.tryTake(1)).isFalse();
        max.set(2);
        assertThat(budget.tryTake(1)).isTrue();
    }
}
