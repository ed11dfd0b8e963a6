package io.thingport.bridge.ctwing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.bridge.support.PushRejected;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-gateway secret path token that protects the (unsigned) push endpoint. */
class PushTokenTest {

    @Test
    void generatedTokensAreUrlSafe32RandomBytes() {
        // Verifies that a token is 32 bytes in URL-safe Base64 without padding (43 characters) and that tokens differ.
        // GIVEN / WHEN 100 tokens
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            tokens.add(PushToken.generate());
        }
        // THEN
        assertThat(tokens).hasSize(100).allSatisfy(token -> {
            assertThat(token).matches("[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
            assertThat(PushToken.wellFormed(token)).isTrue();
        });
        assertThat(PushToken.generate(new SecureRandom())).hasSize(43);
        assertThat(PushToken.wellFormed("short")).isFalse();
        assertThat(PushToken.wellFormed(tokens.iterator().next() + "=")).isFalse();
    }

    @Test
    void matchesOnlyTheSameToken() {
        // Verifies that only the identical token matches: not one that differs in a character, a prefix, null or empty.
        // GIVEN
        String token = PushToken.generate();
        char last = token.charAt(42);
        String changed = token.substring(0, 42) + (last == 'A' ? 'B' : 'A');
        // WHEN / THEN
        assertThat(PushToken.matches(token, token)).isTrue();
        assertThat(PushToken.matches(token, new String(token.toCharArray()))).isTrue();
        assertThat(PushToken.matches(token, changed)).isFalse();
        assertThat(PushToken.matches(token, token.substring(0, 20))).isFalse();
        assertThat(PushToken.matches(token, token + "x")).isFalse();
        assertThat(PushToken.matches(token, null)).isFalse();
        assertThat(PushToken.matches(token, "")).isFalse();
        assertThat(PushToken.matches("", "")).isFalse();
    }

    @Test
    void checkRefusesAsUnauthorizedWithoutEchoingTokens() {
        // Verifies that a wrong token is refused as UNAUTHORIZED (401) and the message holds neither token.
        // GIVEN
        String token = PushToken.generate();
        String wrong = PushToken.generate();
        // WHEN / THEN
        PushToken.check(token, token);
        assertThatThrownBy(() -> PushToken.check(token, wrong))
                .isInstanceOfSatisfying(PushRejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo(PushRejected.Reason.UNAUTHORIZED);
                    assertThat(rejected.code().httpStatus()).isEqualTo(401);
                    assertThat(rejected.getMessage()).isEqualTo("push token is missing or does not match")
                            .doesNotContain(token).doesNotContain(wrong);
                });
    }
}
