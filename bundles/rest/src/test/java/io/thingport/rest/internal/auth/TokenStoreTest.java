package io.thingport.rest.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.access.RequestSignature;
import io.thingport.api.access.Role;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenStoreTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(60);
    private static final Caller ALICE = new Caller("alice", Caller.USER, Role.ADMIN, Set.of());
    private static final Caller BOB = new Caller("bob", Caller.USER, Role.VIEWER, Set.of("p1"));

    @Test
    void anIssuedTokenIsPrefixedRandomAndNamesItsCaller() {
        // Verifies the token's form (tpt_ and 256 random bits in URL-safe base64) and that it names its caller.
        // GIVEN a store
        TokenStore store = new TokenStore(1000, 1000);

        // WHEN many tokens are issued
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String token = store.issue(ALICE, TTL, T0);

            // THEN each has the prefix and form, and none repeats
            assertThat(token).startsWith(TokenStore.PREFIX).matches("tpt_[A-Za-z0-9_-]{43}");
            assertThat(seen.add(token)).isTrue();
        }
        String token = store.issue(BOB, TTL, T0);
        assertThat(store.caller(token, T0)).contains(BOB);
    }

    @Test
    void aTokenWorksUntilItsExpiryAndNotFromItsExpiryOn() {
        // Verifies the expiry bound: valid a millisecond before issue+ttl, invalid at it and after.
        // GIVEN a token issued at T0 for an hour
        TokenStore store = new TokenStore(10, 10);
        String token = store.issue(ALICE, TTL, T0);

        // WHEN looked up just before, at and after its expiry
        // THEN only the first finds its caller
        assertThat(store.caller(token, T0.plus(TTL).minusMillis(1))).contains(ALICE);
        assertThat(store.caller(token, T0.plus(TTL))).isEmpty();
        assertThat(store.caller(token, T0.plus(TTL).plusSeconds(1))).isEmpty();
    }

    @Test
    void expiredTokensAreDroppedWhenTheNextOneIsIssued() {
        // Verifies that expired tokens do not stay in memory: issuing purges them.
        // GIVEN three tokens that expire after a minute
        TokenStore store = new TokenStore(10, 10);
        for (int i = 0; i < 3; i++) {
            store.issue(ALICE, Duration.ofMinutes(1), T0);
        }
        assertThat(store.size()).isEqualTo(3);

        // WHEN a token is issued after they expired
        String fresh = store.issue(BOB, TTL, T0.plus(Duration.ofMinutes(1)));

        // THEN only the new one is held
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.caller(fresh, T0.plus(Duration.ofMinutes(1)))).contains(BOB);
    }

    @Test
    void aUsersOldestTokenMakesWayWhenTheyReachTheirBound() {
        // Verifies the per-user bound: a new token beyond it ends that user's oldest token, and only theirs.
        // GIVEN a bound of 2 per user, bob's token and alice's two tokens issued a second apart
        TokenStore store = new TokenStore(100, 2);
        String bobs = store.issue(BOB, TTL, T0);
        String first = store.issue(ALICE, TTL, T0.plusSeconds(1));
        String second = store.issue(ALICE, TTL, T0.plusSeconds(2));

        // WHEN alice gets a third token
        String third = store.issue(ALICE, TTL, T0.plusSeconds(3));

        // THEN her first token no longer works, her others and bob's do
        Instant now = T0.plusSeconds(4);
        assertThat(store.caller(first, now)).isEmpty();
        assertThat(store.caller(second, now)).contains(ALICE);
        assertThat(store.caller(third, now)).contains(ALICE);
        assertThat(store.caller(bobs, now)).contains(BOB);
        assertThat(store.size()).isEqualTo(3);
    }

    @Test
    void theOldestTokenOfAnyoneMakesWayAtTheTotalBound() {
        // Verifies the total bound: at maxTotal the oldest token in the store ends, whoever holds it.
        // GIVEN a total bound of 3, filled by three users a second apart
        TokenStore store = new TokenStore(3, 10);
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            issued.add(store.issue(new Caller("u" + i, Caller.USER, Role.VIEWER, Set.of()), TTL, T0.plusSeconds(i)));
        }

        // WHEN a fourth user gets a token
        String fourth = store.issue(ALICE, TTL, T0.plusSeconds(10));

        // THEN the first user's token is gone and the store holds 3
        Instant now = T0.plusSeconds(11);
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.caller(issued.get(0), now)).isEmpty();
        assertThat(store.caller(issued.get(1), now)).isPresent();
        assertThat(store.caller(issued.get(2), now)).isPresent();
        assertThat(store.caller(fourth, now)).contains(ALICE);
    }

    @Test
    void revokeEndsOneTokenAndSaysWhetherItWasHeld() {
        // Verifies revoke(): it ends that token only, answers true once, false for a token it does not hold.
        // GIVEN two tokens of alice
        TokenStore store = new TokenStore(10, 10);
        String a = store.issue(ALICE, TTL, T0);
        String b = store.issue(ALICE, TTL, T0);

        // WHEN one is revoked twice, and an unknown token once
        boolean firstTime = store.revoke(a);
        boolean secondTime = store.revoke(a);
        boolean unknown = store.revoke("tpt_never-issued");

        // THEN only the first revocation found it; the other token still works
        assertThat(firstTime).isTrue();
        assertThat(secondTime).isFalse();
        assertThat(unknown).isFalse();
        assertThat(store.caller(a, T0)).isEmpty();
        assertThat(store.caller(b, T0)).contains(ALICE);
    }

    @Test
    void revokeUserEndsEveryTokenOfThatUserOnly() {
        // Verifies revokeUser(): all of the user's tokens end, other users' stay.
        // GIVEN three tokens of alice and one of bob
        TokenStore store = new TokenStore(10, 10);
        List<String> alices = List.of(store.issue(ALICE, TTL, T0), store.issue(ALICE, TTL, T0),
                store.issue(ALICE, TTL, T0));
        String bobs = store.issue(BOB, TTL, T0);

        // WHEN alice's tokens are revoked
        store.revokeUser("alice");

        // THEN none of hers works, bob's does
        for (String t : alices) {
            assertThat(store.caller(t, T0)).isEmpty();
        }
        assertThat(store.caller(bobs, T0)).contains(BOB);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void theStoreHoldsOnlyHashesOfTokensNeverTheirText() throws Exception {
        // Verifies the design rule that a copy of the table opens nothing: its keys are the tokens' SHA-256, no token
        // text is held anywhere in it (keys or entries), and a key used as a token does not work.
        // GIVEN a store with a few tokens
        TokenStore store = new TokenStore(10, 10);
        List<String> issued = List.of(store.issue(ALICE, TTL, T0), store.issue(BOB, TTL, T0));

        // WHEN its table is read by reflection
        Map<?, ?> table = table(store);

        // THEN every key is a SHA-256 in hex of an issued token, and none is or contains a token
        Set<String> hashes = new HashSet<>();
        for (String t : issued) {
            hashes.add(RequestSignature.sha256(t.getBytes(StandardCharsets.US_ASCII)));
        }
        assertThat(table.keySet()).hasSize(2).allSatisfy(k -> {
            assertThat(k).isInstanceOf(String.class);
            assertThat((String) k).matches("[0-9a-f]{64}").doesNotContain(TokenStore.PREFIX);
        });
        assertThat(new HashSet<Object>(table.keySet())).isEqualTo(new HashSet<Object>(hashes));
        // AND the entries hold no text at all: only the caller and instants
        Object entry = table.values().iterator().next();
        assertThat(entry.getClass().isRecord()).isTrue();
        for (RecordComponent c : entry.getClass().getRecordComponents()) {
            assertThat(c.getType()).isIn(Caller.class, Instant.class);
        }
        for (Object value : table.values()) {
            assertThat(value.toString()).doesNotContain(issued.get(0)).doesNotContain(issued.get(1));
        }
        // AND a stored key is no token
        for (Object key : table.keySet()) {
            assertThat(store.caller((String) key, T0)).isEmpty();
        }
    }

    private static Map<?, ?> table(TokenStore store) throws ReflectiveOperationException {
        Map<?, ?> found = null;
        for (Field f : TokenStore.class.getDeclaredFields()) {
            if (Map.class.isAssignableFrom(f.getType())) {
                assertThat(found).as("TokenStore holds one map").isNull();
                f.setAccessible(true);
                found = (Map<?, ?>) f.get(store);
            } else if (f.getType() == String.class && !Modifier.isStatic(f.getModifiers())) {
                throw new AssertionError("TokenStore has a String field " + f.getName());
            }
        }
        assertThat(found).as("TokenStore's table").isNotNull();
        return found;
    }
}
