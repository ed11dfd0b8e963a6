package io.thingport.core.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The memory of used nonces: once per nonce within its time, bounded per application and in total. */
class NonceWindowTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final long TEN_MINUTES = Duration.ofMinutes(10).toMillis();

    @Test
    void aNonceIsAcceptedOnceWithinTwiceTheWindowAndPerApplication() {
        // Verifies replay detection, that another application's equal nonce is its own, and that a nonce is forgotten
        // only after 2 x 5 minutes.
        // GIVEN
        NonceWindow nonces = new NonceWindow();
        // WHEN / THEN
        assertThat(nonces.remember("app-a", "nonce-0000000001", T0)).isTrue();
        assertThat(nonces.remember("app-a", "nonce-0000000001", T0 + 1)).isFalse();
        assertThat(nonces.remember("app-b", "nonce-0000000001", T0 + 1)).isTrue();
        assertThat(nonces.remember("app-a", "nonce-0000000001", T0 + TEN_MINUTES - 1)).isFalse();
        assertThat(nonces.remember("app-a", "nonce-0000000001", T0 + TEN_MINUTES)).isTrue();
        assertThat(nonces.size()).isEqualTo(2);
    }

    @Test
    void anApplicationAtItsBoundIsRefusedUntilItsOldestNoncesExpire() {
        // Verifies the per-application bound: UNAVAILABLE with the application named, other applications unaffected,
        // and room again once nonces expire.
        // GIVEN 3 nonces of app-a remembered (its bound)
        NonceWindow nonces = new NonceWindow(Duration.ofMinutes(10), 3, 100);
        for (int i = 0; i < 3; i++) {
            assertThat(nonces.remember("app-a", "n" + i, T0 + i)).isTrue();
        }
        // WHEN / THEN
        assertThatThrownBy(() -> nonces.remember("app-a", "n3", T0 + 10)).isInstanceOf(ThingportException.class)
                .hasMessage("too many requests from app-a within 5 minutes")
                .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(nonces.remember("app-a", "n0", T0 + 10)).isFalse(); // a replay is still told apart
        assertThat(nonces.remember("app-b", "n3", T0 + 10)).isTrue();
        assertThat(nonces.remember("app-a", "n3", T0 + TEN_MINUTES)).isTrue(); // n0 expired
    }

    @Test
    void allApplicationsTogetherAreBoundedAndExpiredNoncesMakeRoom() {
        // Verifies the total bound across applications, and that expired nonces of other applications are swept
        // when it is reached.
        // GIVEN 4 nonces of 4 applications (the total bound)
        NonceWindow nonces = new NonceWindow(Duration.ofMinutes(10), 10, 4);
        for (int i = 0; i < 4; i++) {
            nonces.remember("app-" + i, "n", T0);
        }
        // WHEN / THEN
        assertThatThrownBy(() -> nonces.remember("app-9", "n", T0 + 1))
                .hasMessage("too many signed requests within 5 minutes (all applications together)");
        assertThat(nonces.remember("app-9", "n", T0 + TEN_MINUTES)).isTrue();
        assertThat(nonces.size()).isEqualTo(1);
    }

    @Test
    void aDeletedApplicationsNoncesAreForgotten() {
        // Verifies forget(): the count drops and the nonce is new again.
        NonceWindow nonces = new NonceWindow();
        nonces.remember("app-a", "nonce-0000000001", T0);
        nonces.forget("app-a");
        assertThat(nonces.size()).isZero();
        assertThat(nonces.remember("app-a", "nonce-0000000001", T0)).isTrue();
    }
}
