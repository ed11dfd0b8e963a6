package io.thingport.network.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-flight bound of one connection alone, as MQTT and the frame transports use it: no channel, no event loop. */
class InflightUplinksTest {
    private final InflightUplinks<String> uplinks = new InflightUplinks<>(2);

    /** Admits an uplink and, if it may go now, counts it as handed to the platform; returns whether reading must stop. */
    private boolean send(String uplink) {
        assertThat(uplinks.admit(uplink)).as("%s may go now", uplink).isTrue();
        return uplinks.started(uplink);
    }

    @Test
    void readingStopsWhenTheBoundIsReached() {
        // Verifies that reading stops exactly when maxInflight uplinks are with the platform, QoS 0 or 1 alike.
        // GIVEN an empty window of two

        // WHEN two uplinks are handed to the platform
        boolean stopAfterFirst = send("a");
        boolean stopAfterSecond = send("b");

        // THEN reading stops after the second, not the first
        assertThat(stopAfterFirst).isFalse();
        assertThat(stopAfterSecond).isTrue();
        assertThat(uplinks.inflight()).isEqualTo(2);
        assertThat(uplinks.mayRead()).isFalse();
    }

    @Test
    void uplinksBeyondTheBoundWaitInOrderAndGoAsAnswersCome() {
        // Verifies that uplinks read beyond the bound are queued and released oldest first, one per answer.
        // GIVEN a full window and two more uplinks read off the wire
        send("a");
        send("b");
        boolean cAdmitted = uplinks.admit("c");
        boolean dAdmitted = uplinks.admit("d");

        // WHEN the platform answers one uplink
        uplinks.finished("a");

        // THEN only the oldest queued uplink may go; the other waits for the next answer
        assertThat(cAdmitted).isFalse();
        assertThat(dAdmitted).isFalse();
        assertThat(uplinks.nextReady()).isEqualTo("c");
        uplinks.started("c");
        assertThat(uplinks.nextReady()).isNull();
        assertThat(uplinks.queued()).isEqualTo(1);
        uplinks.finished("b");
        assertThat(uplinks.nextReady()).isEqualTo("d");
    }

    @Test
    void aNewUplinkDoesNotOvertakeQueuedOnes() {
        // Verifies that while uplinks are queued a new one queues behind them even if there is room in the window.
        // GIVEN a full window with one queued uplink, then one answer (room for one)
        send("a");
        send("b");
        uplinks.admit("c");
        uplinks.finished("a");

        // WHEN a new uplink is read before the queued one was released
        boolean admitted = uplinks.admit("d");

        // THEN the new one is queued behind the older one
        assertThat(admitted).isFalse();
        assertThat(uplinks.nextReady()).isEqualTo("c");
    }

    @Test
    void readingResumesOnlyWithRoomAndAnEmptyQueue() {
        // Verifies that reading may resume only once there is room below the bound and nothing is queued.
        // GIVEN a full window with one queued uplink
        send("a");
        send("b");
        uplinks.admit("c");

        // WHEN one answer comes, the queued uplink goes, then another answer comes
        uplinks.finished("a");
        boolean withQueued = uplinks.mayRead();
        uplinks.started(uplinks.nextReady());
        boolean fullAgain = uplinks.mayRead();
        uplinks.finished("b");

        // THEN reading resumes only at the end
        assertThat(withQueued).isFalse();
        assertThat(fullAgain).isFalse();
        assertThat(uplinks.mayRead()).isTrue();
    }

    @Test
    void aCloseWithNothingInFlightClosesAtOnce() {
        // Verifies that a close asked for with nothing in flight may happen at once and marks nothing.
        // GIVEN an idle window

        // WHEN a close is asked for
        boolean now = uplinks.closeWhenIdle();

        // THEN the connection may close now
        assertThat(now).isTrue();
        assertThat(uplinks.closing()).isFalse();
    }

    @Test
    void aCloseWaitsForTheUplinksInFlightAndReleasesNoQueuedOne() {
        // Verifies that a close waits for the answers in flight and that queued uplinks no longer go.
        // GIVEN a full window with one queued uplink
        send("a");
        send("b");
        uplinks.admit("c");

        // WHEN a close is asked for and the answers come
        boolean now = uplinks.closeWhenIdle();
        uplinks.finished("a");
        boolean idleAfterOne = uplinks.idle();
        uplinks.finished("b");

        // THEN the connection closes only after the last answer, reading never resumes, the queued uplink never goes
        assertThat(now).isFalse();
        assertThat(uplinks.closing()).isTrue();
        assertThat(idleAfterOne).isFalse();
        assertThat(uplinks.idle()).isTrue();
        assertThat(uplinks.nextReady()).isNull();
        assertThat(uplinks.mayRead()).isFalse();
    }

    @Test
    void uplinksHeldDuringTheLoginGoFirstInOrderUpToTheBound() {
        // Verifies that uplinks held while the login is decided are queued whatever the room and go first, in order.
        // GIVEN an empty window of two and three uplinks held during the login
        uplinks.hold("a");
        uplinks.hold("b");
        uplinks.hold("c");
        boolean mayReadWhileHeld = uplinks.mayRead();

        // WHEN the login is accepted, the held ones are released up to the bound and a new uplink is read
        String first = uplinks.nextReady();
        uplinks.started(first);
        String second = uplinks.nextReady();
        uplinks.started(second);
        String beyondTheBound = uplinks.nextReady();
        boolean newAdmitted = uplinks.admit("d");

        // THEN two go in order, the third waits for an answer, and the new one queues behind it
        assertThat(mayReadWhileHeld).isFalse();
        assertThat(first).isEqualTo("a");
        assertThat(second).isEqualTo("b");
        assertThat(beyondTheBound).isNull();
        assertThat(newAdmitted).isFalse();
        uplinks.finished("a");
        assertThat(uplinks.nextReady()).isEqualTo("c");
    }

    @Test
    void aCloseAtOnceDropsTheQueuedUplinksAndStillCountsTheOnesInFlight() {
        // Verifies that a close that waits for nothing drops the queue, releases nothing and never reads again.
        // GIVEN a full window with one queued uplink
        send("a");
        send("b");
        uplinks.admit("c");

        // WHEN the connection closes at once and then one answer comes
        uplinks.closeAtOnce();
        uplinks.finished("a");

        // THEN nothing is queued or released, reading never resumes, and the uplink still in flight is counted
        assertThat(uplinks.closing()).isTrue();
        assertThat(uplinks.queued()).isZero();
        assertThat(uplinks.nextReady()).isNull();
        assertThat(uplinks.mayRead()).isFalse();
        assertThat(uplinks.inflight()).isEqualTo(1);
        assertThat(uplinks.idle()).isFalse();
    }

    @Test
    void anUplinkThePlatformDidNotTakePausesTheConnectionThenGoesAgainFirst() {
        // Verifies that an UNAVAILABLE answer stops everything for a pause (no delivery, no reading, new uplinks queue)
        // and that the refused uplink then goes before the ones read after it.
        // GIVEN a full window and one queued uplink
        send("a");
        send("b");
        uplinks.admit("c");

        // WHEN the platform did not take the first one
        boolean pauseStarts = uplinks.unavailable("a");

        // THEN a pause of 50 ms starts: nothing goes, nothing is read, a new uplink queues although there is room
        assertThat(pauseStarts).isTrue();
        assertThat(uplinks.pauseMillis()).isEqualTo(50);
        assertThat(uplinks.paused()).isTrue();
        assertThat(uplinks.inflight()).isEqualTo(1);
        assertThat(uplinks.waiting()).isEqualTo(1);
        assertThat(uplinks.nextReady()).isNull();
        assertThat(uplinks.mayRead()).isFalse();
        assertThat(uplinks.admit("d")).isFalse();

        // AND WHEN the pause is over
        uplinks.resume();

        // THEN the refused uplink goes first, then (as answers come) the ones read after it, in order
        assertThat(uplinks.nextReady()).isEqualTo("a");
        assertThat(uplinks.started("a")).isTrue();
        assertThat(uplinks.nextReady()).isNull();
        uplinks.finished("b");
        assertThat(uplinks.nextReady()).isEqualTo("c");
        uplinks.started("c");
        uplinks.finished("a");
        assertThat(uplinks.nextReady()).isEqualTo("d");
        uplinks.started("d");
        uplinks.finished("c");
        uplinks.finished("d");
        assertThat(uplinks.mayRead()).isTrue();
    }

    @Test
    void uplinksRefusedOutOfOrderAreOfferedAgainInTheOrderTheyWereRead() {
        // Verifies that refusals answered in any order (stages complete on any thread) are retried oldest first, and that
        // a refusal during a pause joins it instead of starting another.
        // GIVEN three uplinks in flight in a window of three
        InflightUplinks<String> three = new InflightUplinks<>(3);
        for (String u : new String[] {"a", "b", "c"}) {
            assertThat(three.admit(u)).isTrue();
            three.started(u);
        }

        // WHEN the third is refused, then the first, and the pause ends
        boolean firstPause = three.unavailable("c");
        boolean secondPause = three.unavailable("a");
        three.resume();
        String retriedFirst = three.nextReady();
        three.started(retriedFirst);
        String retriedSecond = three.nextReady();
        three.started(retriedSecond);

        // THEN one pause, and the first read goes again before the third
        assertThat(firstPause).isTrue();
        assertThat(secondPause).isFalse();
        assertThat(retriedFirst).isEqualTo("a");
        assertThat(retriedSecond).isEqualTo("c");
        assertThat(three.waiting()).isZero();
        assertThat(three.inflight()).isEqualTo(3);
    }

    @Test
    void thePauseDoublesWithEachRefusalInARowUpToOneSecondAndStartsOverOnceAnUplinkIsTaken() {
        // Verifies the back-off: 50 ms doubling up to 1 s while the platform keeps refusing, 50 ms again after a success.
        // GIVEN one uplink in flight
        send("a");
        List<Long> pauses = new ArrayList<>();

        // WHEN the platform refuses it seven times in a row, each time offered again after the pause
        for (int i = 0; i < 7; i++) {
            assertThat(uplinks.unavailable("a")).isTrue();
            pauses.add(uplinks.pauseMillis());
            uplinks.resume();
            assertThat(uplinks.nextReady()).isEqualTo("a");
            uplinks.started("a");
        }
        // AND then takes it, and refuses the next one
        uplinks.finished("a");
        send("b");
        uplinks.unavailable("b");

        // THEN the pauses doubled up to 1 s, and started over at 50 ms
        assertThat(pauses).containsExactly(50L, 100L, 200L, 400L, 800L, 1000L, 1000L);
        assertThat(uplinks.pauseMillis()).isEqualTo(50);
    }

    @Test
    void aCloseDropsTheRefusedUplinksAndARefusalWhileClosingStartsNoPause() {
        // Verifies that refused uplinks are never offered again once the connection closes, and that an uplink still in
        // flight when it closes is dropped when refused, without a pause.
        // GIVEN two uplinks in flight, the first refused (a pause running)
        send("a");
        send("b");
        uplinks.unavailable("a");

        // WHEN the connection closes once the answers are in, the pause ends and the second is refused too
        boolean now = uplinks.closeWhenIdle();
        uplinks.resume();
        boolean pauseAgain = uplinks.unavailable("b");

        // THEN nothing is left: no pause, nothing waiting or in flight, nothing to offer, no reading
        assertThat(now).isFalse();
        assertThat(pauseAgain).isFalse();
        assertThat(uplinks.waiting()).isZero();
        assertThat(uplinks.idle()).isTrue();
        assertThat(uplinks.nextReady()).isNull();
        assertThat(uplinks.mayRead()).isFalse();
    }

    @Test
    void onlyAnUplinkInFlightCanBeAnswered() {
        // Verifies that the handler cannot answer an uplink twice or one it never handed over (a bookkeeping bug shows).
        // GIVEN one uplink in flight, refused and waiting
        send("a");
        uplinks.unavailable("a");

        // WHEN / THEN answering it again, or one never handed over, is refused
        assertThatThrownBy(() -> uplinks.finished("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> uplinks.unavailable("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> uplinks.finished("never")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBoundBelowOneIsRefused() {
        // Verifies that a window without room is refused when it is made, not when the first uplink hangs.
        // GIVEN / WHEN a window of zero is made
        // THEN it is refused
        assertThatThrownBy(() -> new InflightUplinks<String>(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxInflight must be at least 1");
    }
}
