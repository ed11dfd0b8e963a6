package io.thingport.api.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionTableTest {
    private static final long IDLE = 1_000;
    private static final long LIFETIME = 10_000;

    private final AtomicInteger counter = new AtomicInteger();
    private final SessionTable<String> table = new SessionTable<>(IDLE, LIFETIME, 3, () -> "token-" + counter.incrementAndGet());

    @Test
    void tokensAreRandomLongAndUrlSafe() {
        // Verifies the generated tokens: 256 bits of SecureRandom in URL-safe Base64 without padding, never repeated.
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String token = SessionTable.newToken();
            assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
            assertThat(seen.add(token)).isTrue();
        }
    }

    @Test
    void aTokenNamesItsSessionAndTheTableKeepsOnlyItsHash() {
        // Verifies look-up by token; the stored key is the token's SHA-256, which is not a token that works.
        SessionTable.Opened<String> opened = table.open("d1", "session-1", 0);
        assertThat(opened.token()).isEqualTo("token-1");
        assertThat(opened.replaced()).isNull();
        assertThat(table.find("token-1", 10)).isEqualTo("session-1");
        assertThat(SessionTable.hash("token-1")).hasSize(64).isNotEqualTo("token-1");
        assertThat(table.find(SessionTable.hash("token-1"), 10)).isNull();
        assertThat(table.find("token-2", 10)).isNull();
        assertThat(table.find("", 10)).isNull();
        assertThat(table.find(null, 10)).isNull();
    }

    @Test
    void aSessionEndsAfterTheIdleTimeButEachUseRestartsIt() {
        // Verifies the idle expiry: used just before the idle time it lives on; unused for the idle time it ends.
        table.open("d1", "session-1", 0);
        assertThat(table.find("token-1", IDLE - 1)).isEqualTo("session-1");
        assertThat(table.find("token-1", 2 * IDLE - 2)).isEqualTo("session-1");
        assertThat(table.expire(3 * IDLE - 3)).isEmpty();
        assertThat(table.find("token-1", 3 * IDLE - 2)).isNull();
        assertThat(table.expire(3 * IDLE - 2)).containsExactly(new SessionTable.Ended<>("session-1", "no request for 1.0 s"));
        assertThat(table.size()).isZero();
    }

    @Test
    void aSessionEndsAtItsLifetimeHoweverBusy() {
        // Verifies the absolute lifetime: a device using its token every half idle time still logs in again.
        table.open("d1", "session-1", 0);
        for (long t = IDLE / 2; t < LIFETIME; t += IDLE / 2) {
            assertThat(table.find("token-1", t)).as("at %d ms", t).isEqualTo("session-1");
        }
        assertThat(table.find("token-1", LIFETIME)).isNull();
        assertThat(table.expire(LIFETIME)).containsExactly(new SessionTable.Ended<>("session-1", "session lifetime of 10.0 s over"));
    }

    @Test
    void theEndIsAPureFunctionOfTheTimes() {
        // Verifies ended(): the lifetime is checked first, then the idle time; null while the session lasts.
        assertThat(SessionTable.ended(0, 0, 999, 1_000, 5_000)).isNull();
        assertThat(SessionTable.ended(0, 0, 1_000, 1_000, 5_000)).isEqualTo("no request for 1.0 s");
        assertThat(SessionTable.ended(0, 4_900, 5_000, 1_000, 5_000)).isEqualTo("session lifetime of 5.0 s over");
        assertThat(SessionTable.ended(0, 4_000, 4_999, 1_000, 5_000)).isNull();
    }

    @Test
    void aNewLoginReplacesTheDevicesSessionAndItsToken() {
        // Verifies one session per device: the second open returns the first session to close; its token is dead.
        table.open("d1", "session-1", 0);
        SessionTable.Opened<String> second = table.open("d1", "session-2", 5);
        assertThat(second.replaced()).isEqualTo("session-1");
        assertThat(table.find("token-1", 6)).isNull();
        assertThat(table.find("token-2", 6)).isEqualTo("session-2");
        assertThat(table.size()).isEqualTo(1);
        // the replaced session's own removal does not remove its successor
        assertThat(table.remove("d1", "session-1")).isFalse();
        assertThat(table.find("token-2", 7)).isEqualTo("session-2");
        assertThat(table.remove("d1", "session-2")).isTrue();
        assertThat(table.find("token-2", 8)).isNull();
    }

    @Test
    void theTableHoldsAtMostMaxSessions() {
        // Verifies the bound: a fourth device is not admitted while three sessions last; a replacement always is.
        table.open("d1", "s1", 0);
        table.open("d2", "s2", 0);
        table.open("d3", "s3", 500);
        assertThat(table.open("d4", "s4", 600)).isNull();
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.open("d1", "s1b", 600).replaced()).isEqualTo("s1");
        assertThat(table.expire(1_000)).extracting(SessionTable.Ended::session).containsExactly("s2");
        assertThat(table.open("d4", "s4", 1_000)).isNotNull();
        assertThat(table.size()).isEqualTo(3);
    }

    @Test
    void clearRemovesEverySession() {
        // Verifies clear(): every session returned, every token dead.
        table.open("d1", "s1", 0);
        table.open("d2", "s2", 0);
        assertThat(table.clear()).containsExactlyInAnyOrder("s1", "s2");
        assertThat(table.find("token-1", 1)).isNull();
        assertThat(table.size()).isZero();
    }

    @Test
    void limitsMustBePositive() {
        // Verifies that a table cannot be made without an idle time, a lifetime or room.
        assertThatThrownBy(() -> new SessionTable<String>(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionTable<String>(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionTable<String>(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTokenNeverStartsWithWhatLibcoapReadsAsHex() {
        // Verifies the rule (coap-client -O 2112,0x... is parsed as hex) and that new tokens follow it.
        assertThat(SessionTable.typeable("0xQaIkp9PK4lMeb-EPD10sUhd-fk5ThpM0C9lKDJrPo")).isFalse();
        assertThat(SessionTable.typeable("QaIkp9PK4lMeb-EPD10sUhd-fk5ThpM0C9lKDJrPo0x")).isTrue();
        assertThat(SessionTable.typeable("0XQa")).isTrue();
        for (int i = 0; i < 20_000; i++) {
            assertThat(SessionTable.newToken()).doesNotStartWith("0x").hasSize(43);
        }
    }
}
