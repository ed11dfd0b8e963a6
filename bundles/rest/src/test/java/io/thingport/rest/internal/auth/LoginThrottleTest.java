package io.thingport.rest.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);

    @Test
    void aClientIsBlockedAtItsLimitUntilItsOldestFailureLeavesTheWindow() {
        // Verifies the per-client limit with explicit times: below the limit attempts go ahead; at it they are refused
        // until the oldest counted failure is a window old, and not a moment longer.
        // GIVEN a limit of 3 failures per client and failures at T0, T0+1m, T0+2m
        LoginThrottle throttle = new LoginThrottle(WINDOW, 3, 100, 1000);
        throttle.failed("alice", "s1", T0);
        throttle.failed("alice", "s2", T0.plusSeconds(60));
        assertThat(throttle.blockedUntil("alice", "s3", T0.plusSeconds(60))).isNull();
        throttle.failed("alice", "s3", T0.plusSeconds(120));

        // WHEN asked just after the third failure, just before T0+window, and at T0+window
        Instant blocked = throttle.blockedUntil("alice", "s4", T0.plusSeconds(121));
        Instant stillBlocked = throttle.blockedUntil("alice", "s4", T0.plus(WINDOW).minusMillis(1));
        Instant free = throttle.blockedUntil("alice", "s4", T0.plus(WINDOW));

        // THEN the client is blocked until T0+window, then free (two failures remain counted)
        assertThat(blocked).isEqualTo(T0.plus(WINDOW));
        assertThat(stillBlocked).isEqualTo(T0.plus(WINDOW));
        assertThat(free).isNull();

        // AND one more failure blocks it again, until the then-oldest failure (T0+1m) is a window old
        throttle.failed("alice", "s4", T0.plus(WINDOW));
        assertThat(throttle.blockedUntil("alice", "s4", T0.plus(WINDOW))).isEqualTo(T0.plusSeconds(60).plus(WINDOW));
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        // Verifies the sliding window: failures spread wider than the window never reach the limit.
        // GIVEN a limit of 2 and failures exactly one window apart
        LoginThrottle throttle = new LoginThrottle(WINDOW, 2, 100, 1000);

        // WHEN failures come every WINDOW
        for (int i = 0; i < 10; i++) {
            Instant t = T0.plus(WINDOW.multipliedBy(i));
            throttle.failed("bob", "s1", t);

            // THEN the client is never blocked
            assertThat(throttle.blockedUntil("bob", "s1", t)).isNull();
        }
    }

    @Test
    void aSourceIsBlockedAtItsLimitWhateverTheClients() {
        // Verifies the per-source limit: failures of different clients from one source add up and block every client
        // from it, while the same clients from other sources go ahead.
        // GIVEN a source limit of 3 and three clients failing once each from s1
        LoginThrottle throttle = new LoginThrottle(WINDOW, 100, 3, 1000);
        throttle.failed("u1", "s1", T0);
        throttle.failed("u2", "s1", T0.plusSeconds(1));
        assertThat(throttle.blockedUntil("u9", "s1", T0.plusSeconds(1))).isNull();
        throttle.failed("u3", "s1", T0.plusSeconds(2));

        // WHEN any client tries from s1, and from s2
        Instant fromS1 = throttle.blockedUntil("newcomer", "s1", T0.plusSeconds(3));
        Instant fromS2 = throttle.blockedUntil("u1", "s2", T0.plusSeconds(3));

        // THEN s1 is blocked until its oldest failure leaves the window; s2 is not
        assertThat(fromS1).isEqualTo(T0.plus(WINDOW));
        assertThat(fromS2).isNull();
    }

    @Test
    void whenBothTheClientAndTheSourceAreBlockedTheLaterTimeIsGiven() {
        // Verifies that blockedUntil() answers the later of the two limits, either way round.
        // GIVEN limits of 1 per client and 2 per source
        LoginThrottle throttle = new LoginThrottle(WINDOW, 1, 2, 1000);

        // WHEN alice fails at T0 from s1, bob at T0+1m and carol at T0+2m from s2
        throttle.failed("alice", "s1", T0);
        throttle.failed("bob", "s2", T0.plusSeconds(60));
        throttle.failed("carol", "s2", T0.plusSeconds(120));

        // THEN alice from s2 is blocked until the later of T0+w (client) and T0+1m+w (source)
        assertThat(throttle.blockedUntil("alice", "s2", T0.plusSeconds(180))).isEqualTo(T0.plusSeconds(60).plus(WINDOW));
        // AND bob from s1 only by his own failure, which is later than s1's (s1 is below its limit)
        assertThat(throttle.blockedUntil("bob", "s1", T0.plusSeconds(180))).isEqualTo(T0.plusSeconds(60).plus(WINDOW));
        // AND alice from s3 only by hers
        assertThat(throttle.blockedUntil("alice", "s3", T0.plusSeconds(180))).isEqualTo(T0.plus(WINDOW));
    }

    @Test
    void aFailureWithoutClientCountsAgainstItsSourceOnly() {
        // Verifies the null client (a bad bearer token names no one): it never reaches a client limit, however many
        // failures, and is blocked by its source's limit only.
        // GIVEN a client limit of 1, a source limit of 3, and two client-less failures from each of two sources
        LoginThrottle throttle = new LoginThrottle(WINDOW, 1, 3, 1000);
        throttle.failed(null, "s1", T0);
        throttle.failed(null, "s1", T0);
        throttle.failed(null, "s2", T0);
        throttle.failed(null, "s2", T0);

        // WHEN client-less attempts and a named client are checked
        // THEN none is blocked: no client tally was kept, each source is below its limit
        assertThat(throttle.blockedUntil(null, "s1", T0)).isNull();
        assertThat(throttle.blockedUntil(null, "s3", T0)).isNull();
        assertThat(throttle.blockedUntil("null", "s3", T0)).isNull();

        // AND one more client-less failure from s1 blocks s1 only
        throttle.failed(null, "s1", T0.plusSeconds(1));
        assertThat(throttle.blockedUntil(null, "s1", T0.plusSeconds(1))).isEqualTo(T0.plus(WINDOW));
        assertThat(throttle.blockedUntil(null, "s2", T0.plusSeconds(1))).isNull();
    }

    @Test
    void clientNamesAndSourceAddressesAreKeptApart() {
        // Verifies that a client whose name equals a source address does not share that source's tally.
        // GIVEN a source limit of 1 and a failure from source "10.0.0.1"
        LoginThrottle throttle = new LoginThrottle(WINDOW, 5, 1, 1000);
        throttle.failed("someone", "10.0.0.1", T0);

        // WHEN a client named "10.0.0.1" tries from elsewhere
        Instant until = throttle.blockedUntil("10.0.0.1", "10.0.0.2", T0);

        // THEN it is not blocked
        assertThat(until).isNull();
    }

    @Test
    void theTallyIsBoundedAndForgetsTheLeastRecentlyFailingKeysFirst() {
        // Verifies the bound on tracked keys: beyond maxTracked (clients and sources together) the least recently
        // failing keys are forgotten, while the most recent ones are still counted.
        // GIVEN a limit of 1 per client and room for 100 keys
        LoginThrottle throttle = new LoginThrottle(WINDOW, 1, 1_000_000, 100);

        // WHEN 1000 distinct clients fail once each from one source
        for (int i = 0; i < 1000; i++) {
            throttle.failed("client-" + i, "s1", T0.plusMillis(i));
        }

        // THEN the first clients are forgotten and the last ones are still blocked
        Instant now = T0.plusSeconds(2);
        assertThat(throttle.blockedUntil("client-0", "s2", now)).isNull();
        assertThat(throttle.blockedUntil("client-899", "s2", now)).isNull();
        assertThat(throttle.blockedUntil("client-999", "s2", now)).isEqualTo(T0.plusMillis(999).plus(WINDOW));
        assertThat(throttle.blockedUntil("client-950", "s2", now)).isEqualTo(T0.plusMillis(950).plus(WINDOW));
    }

    @Test
    void anIpv6HostIsCountedByItsSlash64() {
        // Verifies that the addresses of one /64 share a tally (a host may hold them all) and IPv4 stays per address.
        assertThat(LoginThrottle.sourceKey("2001:db8:1:2:aaaa::1")).isEqualTo(LoginThrottle.sourceKey("2001:db8:1:2::ffff"));
        assertThat(LoginThrottle.sourceKey("2001:db8:1:3::1")).isNotEqualTo(LoginThrottle.sourceKey("2001:db8:1:2::1"));
        assertThat(LoginThrottle.sourceKey("192.0.2.7")).isEqualTo("192.0.2.7");
    }
}
