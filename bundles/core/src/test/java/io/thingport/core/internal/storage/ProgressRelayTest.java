package io.thingport.core.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay between long work on a storage writer and the thread waiting for it, with a thread that plays the writer. */
class ProgressRelayTest {
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-writer"));
    /** Set by the fake writer when the work returned: what the real one then commits. */
    private final AtomicBoolean committed = new AtomicBoolean();

    @AfterEach
    void tearDown() {
        writer.shutdownNow();
    }

    /** Runs the relay's wrapped work on the fake writer, "committing" when it returns. */
    private <T> CompletableFuture<T> submit(ProgressRelay relay, ReportingWork<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                T result = relay.wrap(work).apply(null);
                committed.set(true);
                return result;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, writer);
    }

    @Test
    void theCallerHearsEveryLargerReportOnItsOwnThreadThenGetsTheResult() {
        // Verifies that reports reach the listener in order, on the waiting thread, a value only when it is larger than
        // the last one (a retried batch runs its work again), and that the work's result is returned after its commit.
        // GIVEN work that reports 0, 500, 1000, then (as if run again) 500, then 1500
        ProgressRelay relay = new ProgressRelay(Duration.ofSeconds(30));
        List<String> heard = new CopyOnWriteArrayList<>();
        Thread caller = Thread.currentThread();

        // WHEN the caller waits for it
        String result = relay.await(submit(relay, (c, progress) -> {
            for (int done : new int[] {0, 500, 1000, 500, 1500}) {
                progress.report(done);
            }
            return "ok";
        }), done -> heard.add(done + (Thread.currentThread() == caller ? "" : " on another thread")));

        // THEN it heard the growing values and got the result of the committed work
        assertThat(heard).containsExactly("0", "500", "1000", "1500");
        assertThat(result).isEqualTo("ok");
        assertThat(committed).isTrue();
    }

    @Test
    void aListenerThatThrowsEndsTheWorkBeforeItsCommit() throws Exception {
        // Verifies that what the listener throws is what the caller gets, and that the work then cannot commit.
        // GIVEN work that reports three times, and a listener that refuses the second report
        ProgressRelay relay = new ProgressRelay(Duration.ofSeconds(30));
        CompletableFuture<String> pending = submit(relay, (c, progress) -> {
            progress.report(0);
            progress.report(1);
            progress.report(2);
            return "ok";
        });

        // WHEN the caller waits for it
        assertThatThrownBy(() -> relay.await(pending, done -> {
            if (done == 1) {
                throw new IllegalStateException("listener refused");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("listener refused");

        // THEN the work ended with an error (at its next report or before its commit), never committed
        assertThat(pending.handle((r, e) -> e).get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(committed).isFalse();
    }

    @Test
    void aStalledWorkIsGivenUpAndRolledBackWhenItGoesOn() throws Exception {
        // Verifies that a work without a report for the stall time is given up (the caller is told nothing was stored)
        // and that it fails when it reports again instead of committing.
        // GIVEN a relay with a short stall time and work that waits for the test before its first report
        ProgressRelay relay = new ProgressRelay(Duration.ofMillis(200));
        CountDownLatch goOn = new CountDownLatch(1);
        CompletableFuture<String> pending = submit(relay, (c, progress) -> {
            try {
                goOn.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            progress.report(0);
            return "ok";
        });

        // WHEN the caller waits for it
        assertThatThrownBy(() -> relay.await(pending, done -> { }))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining("no progress within").hasMessageContaining("nothing was stored");
        goOn.countDown();

        // THEN the work fails at its report and never commits
        assertThat(pending.handle((r, e) -> e).get(30, TimeUnit.SECONDS)).hasMessageContaining("rolled back");
        assertThat(committed).isFalse();
    }

    @Test
    void anInterruptedCallerGivesUpAndKeepsItsInterrupt() throws Exception {
        // Verifies that interrupting the waiting thread (Ctrl-C in the shell) gives the work up before its commit and
        // leaves the thread interrupted.
        // GIVEN work that reports once, and a caller already interrupted
        ProgressRelay relay = new ProgressRelay(Duration.ofSeconds(30));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        CompletableFuture<String> pending = submit(relay, (c, progress) -> {
            started.countDown();
            try {
                goOn.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            progress.report(1);
            return "ok";
        });
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        Thread.currentThread().interrupt();

        // WHEN it waits
        assertThatThrownBy(() -> relay.await(pending, done -> { })).hasMessageContaining("interrupted");
        boolean stillInterrupted = Thread.interrupted();
        goOn.countDown();

        // THEN it keeps its interrupt, and the work does not commit
        assertThat(stillInterrupted).isTrue();
        assertThat(pending.handle((r, e) -> e).get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(committed).isFalse();
    }
}
