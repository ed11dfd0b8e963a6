package io.thingport.core.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gateways' worker pool: its queue is bounded by logins.maxQueued (issue 11.8). */
class WorkerPoolTest {

    @Test
    void rejectsATaskBeyondTheQueueBoundNamingIt() throws Exception {
        // Verifies that with every thread busy, tasks queue up to the bound and the next is rejected, not queued.
        WorkerPool pool = new WorkerPool(1, () -> 2);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(3);
        try {
            pool.execute(() -> {
                await(gate);
                ran.countDown();
            });
            pool.execute(ran::countDown);
            pool.execute(ran::countDown);
            assertThatThrownBy(() -> pool.execute(ran::countDown)).isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("2 logins are waiting").hasMessageContaining("logins.maxQueued");
            gate.countDown();
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch gate) {
        try {
            gate.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
