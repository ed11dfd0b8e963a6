package io.thingport.rest.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboxTest {
    /** Sends that complete only when the test says so. */
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> pending = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong nanos = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final Outbox outbox = new Outbox(2, (text, done) -> {
        sent.add(text);
        pending.add(done);
    }, failure::set, nanos::get);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** A subscription's side: cancelled when the test says so. */
    private static final class Owner implements Outbox.Owner {
        volatile boolean cancelled;

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    private final Owner s = new Owner();

    /** A put on another thread, once that thread waits for room. */
    private Future<Outbox.Put> waitingPut(Outbox.Owner owner, String text) throws InterruptedException {
        AtomicReference<Thread> thread = new AtomicReference<>();
        Future<Outbox.Put> put = threads.submit(() -> {
            thread.set(Thread.currentThread());
            return outbox.put(owner, text, Duration.ofSeconds(10));
        });
        Fakes.await(() -> thread.get() != null && thread.get().getState() == Thread.State.TIMED_WAITING, "the put waiting");
        return put;
    }

    private void complete(int index) {
        pending.get(index).accept(null);
    }

    @Test
    void sendsInOrderOneAtATime() {
        // Verifies that a message is handed to the network only once the one before it was written.
        // GIVEN two messages queued
        assertThat(outbox.offer("a")).isTrue();
        assertThat(outbox.offer("b")).isTrue();

        // WHEN / THEN only the first is in flight until it completes
        assertThat(sent).containsExactly("a");
        complete(0);
        assertThat(sent).containsExactly("a", "b");
        complete(1);
        assertThat(outbox.size()).isZero();
        assertThat(outbox.inFlightNanos()).isZero();
    }

    @Test
    void offerRefusesWhenFull() {
        // Verifies that a reply never waits: it is refused when the queue is full.
        // GIVEN one message in flight and two queued
        outbox.offer("a");
        outbox.offer("b");
        outbox.offer("c");

        // WHEN / THEN
        assertThat(outbox.offer("d")).isFalse();
        assertThat(outbox.size()).isEqualTo(2);
    }

    @Test
    void putWaitsForRoomAtMostTheGivenTime() throws Exception {
        // Verifies that put times out when no room frees, and queues once room frees while it waits.
        // GIVEN a full outbox
        outbox.offer("a");
        outbox.offer("b");
        outbox.offer("c");

        // WHEN a put waits 50 ms without room / a second put waits while the send completes
        assertThat(outbox.put(s, "d", Duration.ofMillis(50))).isEqualTo(Outbox.Put.TIMEOUT);
        Future<Outbox.Put> waiting = waitingPut(s, "e");
        complete(0);

        // THEN the second is queued behind b and c
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(Outbox.Put.QUEUED);
        complete(1);
        complete(2);
        assertThat(sent).containsExactly("a", "b", "c", "e");
    }

    @Test
    void cancelDropsAnOwnersMessagesAndRefusesItsNextOnes() throws Exception {
        // Verifies that cancel removes an owner's queued messages, wakes its waiting put, and refuses its later ones.
        // GIVEN a in flight, an owner's message and a reply queued, and the owner waiting for room
        outbox.offer("a");
        outbox.put(s, "s1", Duration.ZERO);
        outbox.offer("reply");
        Future<Outbox.Put> waiting = waitingPut(s, "s2");

        // WHEN the owner is cancelled
        s.cancelled = true;
        outbox.cancel(s);

        // THEN its waiting put gives up, its queued message is gone, the reply stays
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(Outbox.Put.CANCELLED);
        assertThat(outbox.put(s, "s3", Duration.ZERO)).isEqualTo(Outbox.Put.CANCELLED);
        assertThat(outbox.put(new Owner(), "o1", Duration.ZERO)).isEqualTo(Outbox.Put.QUEUED);
        complete(0);
        complete(1);
        assertThat(sent).containsExactly("a", "reply", "o1");
    }

    @Test
    void closeWhenDrainedRunsAfterTheLastSend() {
        // Verifies that a drain-then-close accepts nothing more and runs once everything queued was written.
        // GIVEN a in flight and b queued
        outbox.offer("a");
        outbox.offer("b");
        AtomicLong closed = new AtomicLong();

        // WHEN a close is asked for after draining
        outbox.closeWhenDrained(closed::incrementAndGet);

        // THEN nothing more is accepted, and the close runs after b, once
        assertThat(outbox.offer("c")).isFalse();
        complete(0);
        assertThat(closed.get()).isZero();
        complete(1);
        assertThat(closed.get()).isEqualTo(1);
        assertThat(sent).containsExactly("a", "b");
    }

    @Test
    void aFailedSendClosesTheOutbox() throws Exception {
        // Verifies that a failed send is reported and everything after it refused.
        // GIVEN a in flight, b queued
        outbox.offer("a");
        outbox.offer("b");

        // WHEN the send of a fails
        IllegalStateException broken = new IllegalStateException("broken pipe");
        pending.get(0).accept(broken);

        // THEN the failure is reported, b is never sent, nothing more is accepted
        assertThat(failure.get()).isSameAs(broken);
        assertThat(sent).containsExactly("a");
        assertThat(outbox.offer("c")).isFalse();
        assertThat(outbox.put(s, "d", Duration.ZERO)).isEqualTo(Outbox.Put.CLOSED);
    }

    @Test
    void aSendThatThrowsCountsAsFailed() {
        // Verifies that a sender that throws (a closed session) closes the outbox like a failed send.
        // GIVEN a sender that throws
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Outbox broken = new Outbox(2, (text, done) -> {
            throw new IllegalStateException("closed");
        }, seen::set, nanos::get);

        // WHEN a message is offered
        broken.offer("a");

        // THEN
        assertThat(seen.get()).hasMessage("closed");
        assertThat(broken.offer("b")).isFalse();
    }

    @Test
    void measuresHowLongTheSendInFlightWaits() {
        // Verifies that the time of the send in flight is measured from when it was handed over.
        // GIVEN a send handed over at t=5 s
        nanos.set(TimeUnit.SECONDS.toNanos(5));
        outbox.offer("a");

        // WHEN 31 s pass
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(31));

        // THEN
        assertThat(outbox.inFlightNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(31));
        complete(0);
        assertThat(outbox.inFlightNanos()).isZero();
    }

    @Test
    void sendsCompletedInlineDoNotRecurse() {
        // Verifies that a sender completing every send at once drains a long queue without growing the stack.
        // GIVEN a sender that completes at once, recording the stack depth
        List<Integer> depths = new CopyOnWriteArrayList<>();
        Outbox[] self = new Outbox[1];
        self[0] = new Outbox(1000, (text, done) -> {
            depths.add(Thread.currentThread().getStackTrace().length);
            done.accept(null);
        }, t -> { }, nanos::get);
        AtomicLong drained = new AtomicLong();
        for (int i = 0; i < 500; i++) {
            self[0].offer("m" + i);
        }

        // WHEN / THEN every send ran at the same depth
        self[0].closeWhenDrained(drained::incrementAndGet);
        assertThat(depths).hasSize(500);
        assertThat(depths.stream().distinct().count()).isEqualTo(1);
        assertThat(drained.get()).isEqualTo(1);
    }
}
