package io.thingport.bridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentKeysTest {
    @Test
    void keysAreRememberedWithinTheirTimeToLiveAndTheCapacity() {
        // Verifies that a stored key is seen until its time to live passed, and that the oldest go first past the
        // capacity.
        // GIVEN room for 2 keys for 1000 ms
        AtomicLong now = new AtomicLong(0);
        RecentKeys keys = new RecentKeys(2, 1000, now::get);
        // WHEN a and b are stored, then c
        keys.stored("a");
        now.set(100);
        keys.stored("b");
        assertThat(keys.seen("a")).isTrue();
        now.set(500);
        keys.stored("c");
        // THEN a went first
        assertThat(keys.seen("a")).isFalse();
        assertThat(keys.seen("b")).isTrue();
        assertThat(keys.seen("x")).isFalse();
        // WHEN b's time to live passed / THEN only c is left
        now.set(1100);
        assertThat(keys.seen("b")).isFalse();
        assertThat(keys.seen("c")).isTrue();
        assertThat(keys.size()).isEqualTo(1);
    }

    @Test
    void aKeyIsClaimedByOneCopyAtATime() {
        // Verifies claims: the first copy gets NEW, a copy meanwhile IN_FLIGHT, after a release NEW again, after stored
        // STORED.
        // GIVEN
        RecentKeys keys = new RecentKeys(10, 1000, () -> 0L);
        // WHEN / THEN
        assertThat(keys.claim("k")).isEqualTo(RecentKeys.Claim.NEW);
        assertThat(keys.claim("k")).isEqualTo(RecentKeys.Claim.IN_FLIGHT);
        keys.release("k");
        assertThat(keys.claim("k")).isEqualTo(RecentKeys.Claim.NEW);
        keys.stored("k");
        assertThat(keys.claim("k")).isEqualTo(RecentKeys.Claim.STORED);
    }
}
