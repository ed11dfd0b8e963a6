package io.thingport.core.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue in front of the access and system logs: batches off the caller's thread, never blocking, losses counted. */
class QueuedLogTest {

    @Test
    void aFullQueueNeitherBlocksNorGrowsItCountsWhatItLoses() throws Exception {
        // Verifies the bound: while the writer is stuck, the queue takes its capacity and refuses the rest at once,
        // counting them; what it took is written once the writer moves again, in order.
        // GIVEN a queue of 3 whose sink blocks on its first batch
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> written = new CopyOnWriteArrayList<>();
        QueuedLog<Integer> log = new QueuedLog<>("numbers", "test-queued-log", 3, 10, batch -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            written.addAll(batch);
        }, System::currentTimeMillis);
        try {
            assertThat(log.offer(0)).isTrue();
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue(); // the writer holds entry 0
            // WHEN 10 more come
            long started = System.nanoTime();
            int accepted = 0;
            for (int i = 1; i <= 10; i++) {
                accepted += log.offer(i) ? 1 : 0;
            }
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            // THEN
            assertThat(accepted).isEqualTo(3);
            assertThat(log.lost()).isEqualTo(7);
            assertThat(tookMillis).isLessThan(1000);
            release.countDown();
            assertThat(log.flush(30_000)).isTrue();
            assertThat(written).containsExactly(0, 1, 2, 3);
        } finally {
            release.countDown();
            log.close();
        }
    }

    @Test
    void aFailedBatchIsCountedAsLostAndTheNextOnesAreWritten() throws Exception {
        // Verifies that a storage failure loses that batch only (counted), and that the writer goes on.
        // GIVEN a sink that fails once
        List<Integer> written = new CopyOnWriteArrayList<>();
        boolean[] failed = {false};
        QueuedLog<Integer> log = new QueuedLog<>("numbers", "test-queued-log", 100, 10, batch -> {
            if (!failed[0]) {
                failed[0] = true;
                throw new IllegalStateException("database down");
            }
            written.addAll(batch);
        }, System::currentTimeMillis);
        try {
            // WHEN
            log.offer(1);
            assertThat(log.flush(30_000)).isTrue();
            log.offer(2);
            assertThat(log.flush(30_000)).isTrue();
            // THEN
            assertThat(log.lost()).isEqualTo(1);
            assertThat(written).containsExactly(2);
        } finally {
            log.close();
        }
    }

    @Test
    void closingWritesWhatIsQueuedAndRefusesWhatComesAfter() {
        // Verifies close(): the entries queued are written, a later one is counted as lost.
        List<Integer> written = new CopyOnWriteArrayList<>();
        QueuedLog<Integer> log = new QueuedLog<>("numbers", "test-queued-log", 100, 10, written::addAll, System::currentTimeMillis);
        for (int i = 0; i < 50; i++) {
            log.offer(i);
        }
        log.close();
        assertThat(written).hasSize(50);
        assertThat(log.offer(99)).isFalse();
        assertThat(log.lost()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("test-queued-log") && t.isAlive()));
    }
}
