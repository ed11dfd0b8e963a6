package io.thingport.network.mqtt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The subscription table of one MQTT connection alone: no channel. */
class SubscriptionsTest {
    private final Subscriptions subscriptions = new Subscriptions();

    @Test
    void aDownlinkMatchesOnlySubscribedFilters() {
        // Verifies that a topic matches when some subscribed filter matches it, wildcards included.
        // GIVEN subscriptions to a multi-level and a single-level wildcard filter
        subscriptions.add("/p1/d1/#");
        subscriptions.add("/p2/+/config");

        // WHEN topics are matched
        // THEN only the topics under a filter match
        assertThat(subscriptions.matches("/p1/d1/function/invoke")).isTrue();
        assertThat(subscriptions.matches("/p2/d9/config")).isTrue();
        assertThat(subscriptions.matches("/p2/d9/config/extra")).isFalse();
        assertThat(subscriptions.matches("/other/topic")).isFalse();
    }

    @Test
    void nothingMatchesWithoutSubscriptions() {
        // Verifies that a connection that subscribed to nothing receives no downlink.
        // GIVEN no subscription
        // WHEN / THEN no topic matches
        assertThat(subscriptions.matches("/p1/d1/function/invoke")).isFalse();
    }

    @Test
    void unsubscribingRemovesTheFilterAsWritten() {
        // Verifies that UNSUBSCRIBE removes a filter by its text and says whether it was subscribed.
        // GIVEN a subscription to a wildcard filter
        subscriptions.add("/p1/d1/#");

        // WHEN a narrower filter is removed, then the filter itself, then the filter again
        boolean narrower = subscriptions.remove("/p1/d1/function/invoke");
        boolean itself = subscriptions.remove("/p1/d1/#");
        boolean again = subscriptions.remove("/p1/d1/#");

        // THEN only the exact filter was removed, once, and nothing matches any more
        assertThat(narrower).isFalse();
        assertThat(itself).isTrue();
        assertThat(again).isFalse();
        assertThat(subscriptions.matches("/p1/d1/function/invoke")).isFalse();
    }

    @Test
    void subscribingTwiceKeepsOneEntry() {
        // Verifies that a repeated SUBSCRIBE does not need a repeated UNSUBSCRIBE.
        // GIVEN the same filter subscribed twice
        subscriptions.add("/p1/d1/#");
        subscriptions.add("/p1/d1/#");

        // WHEN it is removed once
        subscriptions.remove("/p1/d1/#");

        // THEN it no longer matches
        assertThat(subscriptions.matches("/p1/d1/x")).isFalse();
    }

    @Test
    void downlinksMayMatchFromOtherThreadsWhileTheTableChanges() throws Exception {
        // Verifies that matching from other threads while the table changes neither fails nor misses a stable filter.
        // GIVEN a stable subscription and reader threads matching against it
        subscriptions.add("/stable/#");
        ExecutorService readers = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                results.add(readers.submit(() -> {
                    go.await();
                    boolean always = true;
                    for (int i = 0; i < 10_000; i++) {
                        always &= subscriptions.matches("/stable/x");
                    }
                    return always;
                }));
            }

            // WHEN this thread subscribes and unsubscribes other filters meanwhile
            go.countDown();
            for (int i = 0; i < 2_000; i++) {
                subscriptions.add("/churn/" + i);
                subscriptions.remove("/churn/" + i);
            }

            // THEN every read saw the stable filter
            for (Future<Boolean> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            readers.shutdownNow();
        }
    }
}
