package io.thingport.core.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryQueueTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService sends = Executors.newFixedThreadPool(4);
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<String> gaveUp = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> fails = n -> false;
    /** Records what became of each row: delivered, or given up on (after how many attempts, and why). */
    private final DeliveryQueue.Outcome outcome = new DeliveryQueue.Outcome() {
        @Override
        public void delivered(Delivery d, int attempts, long latencyNanos) {
            delivered.add(name(d));
        }

        @Override
        public void retrying(Delivery d, int attempts, Throwable error) {
        }

        @Override
        public void gaveUp(Delivery d, int attempts, Throwable error) {
            gaveUp.add(name(d) + " after " + attempts);
            errors.add(error.getClass().getSimpleName());
        }
    };

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        sends.shutdownNow();
    }

    private static String name(Delivery d) {
        return d.deviceId() + ":" + d.row().get("n");
    }

    private DeliveryQueue queue(int capacity, int retries, long backoffMs) {
        DeliveryQueue.Sink sink = d -> {
            sent.add(name(d));
            return fails.test(name(d)) ? CompletableFuture.failedFuture(new RuleActionException("refused " + name(d)))
                    : CompletableFuture.completedFuture(null);
        };
        return new DeliveryQueue(capacity, 4, new RetryPolicy(retries, backoffMs, backoffMs * 4), sink, outcome, scheduler, sends, 60_000);
    }

    private static Delivery row(String device, int n) {
        return new Delivery(device, Map.of("n", n));
    }

    @Test
    void aDeviceRetryingKeepsItsOrderAndDoesNotHoldUpOtherDevices() {
        // Verifies per-device order under retries, and that other devices are delivered meanwhile.
        // GIVEN a sink that refuses device a's first row until it is released
        fails = n -> n.equals("a:1");
        DeliveryQueue q = queue(100, 50, 50);
        // WHEN a's rows 1..3 and b's rows 1..3 are queued
        for (int i = 1; i <= 3; i++) {
            q.offer(row("a", i));
            q.offer(row("b", i));
        }
        // THEN b's rows are all delivered while a:1 is still being retried, and a's later rows wait behind it
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.containsAll(List.of("b:1", "b:2", "b:3")));
        assertThat(delivered).doesNotContain("a:1", "a:2", "a:3");
        fails = n -> false;
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 6);
        assertThat(delivered.stream().filter(n -> n.startsWith("a:")).toList()).containsExactly("a:1", "a:2", "a:3");
        assertThat(gaveUp).isEmpty();
        assertThat(q.size()).isZero();
    }

    @Test
    void aRowIsGivenUpOnAfterItsRetriesAndTheNextOneGoesOn() {
        // Verifies the retry budget: 1 + retries attempts, then the outcome gets the row once, and the device's next row follows.
        fails = n -> n.equals("a:1");
        DeliveryQueue q = queue(100, 2, 5);
        q.offer(row("a", 1));
        q.offer(row("a", 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("a:2"));
        assertThat(gaveUp).containsExactly("a:1 after 3");
        assertThat(sent.stream().filter("a:1"::equals).count()).isEqualTo(3);
    }

    @Test
    void aPermanentRefusalIsGivenUpAtOnce() {
        // Verifies that a refusal that would repeat (an HTTP 4xx, a broken constraint) is not retried.
        DeliveryQueue q = new DeliveryQueue(10, 4, new RetryPolicy(5, 10, 10), d -> {
            sent.add(name(d));
            return CompletableFuture.failedFuture(new RuleActionException("HTTP 400", true));
        }, outcome, scheduler, sends, 60_000);
        q.offer(row("a", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> gaveUp.contains("a:1 after 1"));
        assertThat(sent).containsExactly("a:1");
    }

    @Test
    void theBufferRefusesRowsBeyondItsCapacity() {
        // Verifies the bound: a full buffer refuses the row (the caller keeps it), nothing is dropped silently.
        fails = n -> true;
        DeliveryQueue q = queue(3, 100, 10_000);
        assertThat(q.offer(row("a", 1))).isTrue();
        assertThat(q.offer(row("a", 2))).isTrue();
        assertThat(q.offer(row("b", 1))).isTrue();
        assertThat(q.offer(row("c", 1))).isFalse();
        assertThat(q.size()).isEqualTo(3);
    }

    @Test
    void closingHandsBackEveryRowNotYetTaken() {
        // Verifies that rows waiting (behind a retry, or for their retry) are returned by close, so none is lost.
        fails = n -> true;
        DeliveryQueue q = queue(100, 100, 60_000);
        q.offer(row("a", 1));
        q.offer(row("a", 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.contains("a:1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> q.size() == 2);
        List<Delivery> left = q.close();
        assertThat(left).extracting(DeliveryQueueTest::name).containsExactly("a:1", "a:2");
        assertThat(q.offer(row("a", 3))).isFalse();
    }

    @Test
    void aSendThatNeverAnswersFailsAfterItsTimeout() {
        // Verifies the watchdog: a peer that never answers does not hold the device's rows for ever.
        DeliveryQueue q = new DeliveryQueue(10, 4, new RetryPolicy(0, 1, 1), d -> new CompletableFuture<>(), outcome, scheduler, sends,
                200);
        q.offer(row("a", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> gaveUp.contains("a:1 after 1"));
        assertThat(errors).containsExactly("TimeoutException");
        assertThat(q.size()).isZero();
    }

    @Test
    void theBackOffDoublesUpToItsMaximum() {
        // Verifies the retry policy's delays.
        RetryPolicy p = new RetryPolicy(10, 100, 1_000);
        assertThat(List.of(p.delayAfter(1), p.delayAfter(2), p.delayAfter(3), p.delayAfter(4), p.delayAfter(5), p.delayAfter(40)))
                .containsExactly(100L, 200L, 400L, 800L, 1_000L, 1_000L);
    }
}
