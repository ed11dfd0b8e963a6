package io.thingport.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandQueueSettings;
import io.thingport.core.internal.queue.QueueRules.Plan;
import io.thingport.core.internal.queue.QueueRules.Waiting;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueRulesTest {
    private static final CommandQueueSettings TWO_FOR_AN_HOUR = new CommandQueueSettings(2, Duration.ofHours(1));

    @Test
    void aFullQueueRefusesTheNextCommandWithConflict() {
        // Verifies that a queue admits commands below its maximum and refuses one more with CONFLICT naming the limit.
        // GIVEN a queue of at most 2
        // WHEN 0 and 1 commands wait THEN one more is admitted
        assertThatCode(() -> QueueRules.admit("d1", 0, TWO_FOR_AN_HOUR)).doesNotThrowAnyException();
        assertThatCode(() -> QueueRules.admit("d1", 1, TWO_FOR_AN_HOUR)).doesNotThrowAnyException();
        // WHEN 2 wait THEN the next is refused
        assertThatThrownBy(() -> QueueRules.admit("d1", 2, TWO_FOR_AN_HOUR)).isInstanceOf(ThingportException.class)
                .hasMessageContaining("device d1 is full").hasMessageContaining("2 of 2")
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void aCommandExpiresItsTimeToLiveAfterItWasQueued() {
        // Verifies the expiry time and that a command has expired from that instant on, not before.
        // GIVEN a command queued at 1000 with a one-hour time to live
        long expiresAt = QueueRules.expiresAt(1000, TWO_FOR_AN_HOUR);
        // THEN
        assertThat(expiresAt).isEqualTo(1000 + 3_600_000);
        assertThat(QueueRules.expired(expiresAt, expiresAt - 1)).isFalse();
        assertThat(QueueRules.expired(expiresAt, expiresAt)).isTrue();
    }

    @Test
    void aContactDeliversTheLiveCommandsInQueueOrderAndExpiresTheOthers() {
        // Verifies that the plan for a contact keeps the queue (id) order whatever the input order, and expires only the
        // commands past their time to live.
        // GIVEN commands 3, 1, 2 (2 expired at 500)
        List<Waiting> waiting = List.of(new Waiting(3, 2000), new Waiting(1, 2000), new Waiting(2, 500));
        // WHEN the device makes contact at 1000
        Plan plan = QueueRules.onContact(waiting, 1000);
        // THEN
        assertThat(plan.deliver()).containsExactly(1L, 3L);
        assertThat(plan.expire()).containsExactly(2L);
    }

    @Test
    void aSentCommandIsOverdueOnlyAfterItsTimeoutAndTheGrace() {
        // Verifies that the sweep leaves a sent command to its own node until its reply timeout plus the grace passed.
        // GIVEN a command sent at 0 waiting 1000 ms for its reply
        // THEN
        assertThat(QueueRules.replyOverdue(0, 1000, 1000 + QueueRules.SENT_GRACE_MS - 1)).isFalse();
        assertThat(QueueRules.replyOverdue(0, 1000, 1000 + QueueRules.SENT_GRACE_MS)).isTrue();
    }
}
