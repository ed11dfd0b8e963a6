package io.thingport.network.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bookkeeping of logins waiting for the platform's check, on a fake clock. */
class PendingLoginsTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final PendingLogins<String> pending = new PendingLogins<>(2, TIMEOUT, now::get);

    @Test
    void atMostMaxLoginsWait() {
        // Verifies maxPendingLogins: a login beyond the bound gets no ticket; a finished one frees its place.
        PendingLogins.Ticket<String> a = pending.begin("a");
        assertThat(pending.begin("b")).isNotNull();

        assertThat(pending.begin("c")).isNull();
        assertThat(pending.finish(a)).isEqualTo("a");
        assertThat(pending.begin("c")).isNotNull();
        assertThat(pending.size()).isEqualTo(2);
    }

    @Test
    void aLoginExpiresAfterTheTimeoutAndIsThenAnsweredNoMore() {
        // Verifies loginTimeout: expire() hands back the logins that waited the timeout, oldest first, and only those;
        // a check that completes afterwards finds nothing to answer, and the value is no longer held by the ticket.
        PendingLogins.Ticket<String> a = pending.begin("a");
        now.addAndGet(TIMEOUT / 2);
        PendingLogins.Ticket<String> b = pending.begin("b");

        now.addAndGet(TIMEOUT / 2 - 1);
        assertThat(pending.expire()).isEmpty();
        now.addAndGet(1);
        assertThat(pending.expire()).containsExactly("a");
        assertThat(pending.finish(a)).isNull();
        assertThat(pending.size()).isEqualTo(1);

        now.addAndGet(TIMEOUT);
        assertThat(pending.expire()).containsExactly("b");
        assertThat(pending.finish(b)).isNull();
        assertThat(pending.size()).isZero();
    }

    @Test
    void aFinishedLoginIsAnsweredOnce() {
        // Verifies that a ticket's value is handed out once: finishing twice, or expiring after finishing, gives
        // nothing.
        PendingLogins.Ticket<String> a = pending.begin("a");
        assertThat(pending.finish(a)).isEqualTo("a");
        assertThat(pending.finish(a)).isNull();
        now.addAndGet(TIMEOUT);
        assertThat(pending.expire()).isEmpty();
    }
}
